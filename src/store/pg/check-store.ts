/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL CheckStore is being built; every call refuses until then. */
import type { CheckStore } from '../../app/ports.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgCheckStore(_handle: PgHandle): CheckStore {
  return notBuiltYet<CheckStore>('CheckStore');
}
