/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL CustomersRepository is being built; every call refuses until then. */
import type { CustomersRepository } from '../customers-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgCustomersRepository(_handle: PgHandle, _options: { clock?: () => number } = {}): CustomersRepository {
  return notBuiltYet<CustomersRepository>('CustomersRepository');
}
