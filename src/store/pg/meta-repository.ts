/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL MetaRepository is being built; every call refuses until then. */
import type { MetaRepository } from '../meta-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgMetaRepository(_handle: PgHandle): MetaRepository {
  return notBuiltYet<MetaRepository>('MetaRepository');
}
