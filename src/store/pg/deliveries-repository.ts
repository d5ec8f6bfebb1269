/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL DeliveriesRepository is being built; every call refuses until then. */
import type { DeliveriesRepository } from '../deliveries-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgDeliveriesRepository(_handle: PgHandle, _options: { clock?: () => number } = {}): DeliveriesRepository {
  return notBuiltYet<DeliveriesRepository>('DeliveriesRepository');
}
