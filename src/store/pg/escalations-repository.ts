/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL EscalationsRepository is being built; every call refuses until then. */
import type { EscalationsRepository } from '../escalations-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgEscalationsRepository(_handle: PgHandle): EscalationsRepository {
  return notBuiltYet<EscalationsRepository>('EscalationsRepository');
}
