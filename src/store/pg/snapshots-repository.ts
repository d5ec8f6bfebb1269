/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL SnapshotsRepository is being built; every call refuses until then. */
import type { SnapshotsRepository } from '../snapshots-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgSnapshotsRepository(_handle: PgHandle): SnapshotsRepository {
  return notBuiltYet<SnapshotsRepository>('SnapshotsRepository');
}
