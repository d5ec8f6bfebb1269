/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL DigestsRepository is being built; every call refuses until then. */
import type { DigestsRepository } from '../digests-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgDigestsRepository(_handle: PgHandle): DigestsRepository {
  return notBuiltYet<DigestsRepository>('DigestsRepository');
}
