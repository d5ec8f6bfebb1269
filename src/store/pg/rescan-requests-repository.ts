/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL RescanRequestsRepository is being built; every call refuses until then. */
import type { RescanRequestsRepository } from '../rescan-requests-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgRescanRequestsRepository(_handle: PgHandle): RescanRequestsRepository {
  return notBuiltYet<RescanRequestsRepository>('RescanRequestsRepository');
}
