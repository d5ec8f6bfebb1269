/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL EventsRepository is being built; every call refuses until then. */
import type { EventsRepository } from '../events-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgEventsRepository(_handle: PgHandle): EventsRepository {
  return notBuiltYet<EventsRepository>('EventsRepository');
}
