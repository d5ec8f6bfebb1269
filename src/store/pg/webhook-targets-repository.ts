/* eslint-disable -- placeholder, replaced by the PostgreSQL implementation */
/** PLACEHOLDER: the PostgreSQL WebhookTargetsRepository is being built; every call refuses until then. */
import type { WebhookTargetsRepository } from '../webhook-targets-repository.js';
import type { PgHandle } from './database.js';
import { notBuiltYet } from './not-built-yet.js';

export function createPgWebhookTargetsRepository(_handle: PgHandle): WebhookTargetsRepository {
  return notBuiltYet<WebhookTargetsRepository>('WebhookTargetsRepository');
}
