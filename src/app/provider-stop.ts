/**
 * The record of a provider stop: the provider refused our credentials (`auth`) or our quota is
 * spent (`quota`), so the scan queue stands still until an operator acts. One record for the whole
 * fleet, kept in SQLite (the source of truth), so that `status` shows it and exactly one worker
 * raises the operational alert.
 */
import { z } from 'zod';
import type { ProviderError } from '../domain/sections.js';

/** The meta key that holds the record. */
export const PROVIDER_STOP_KEY = 'provider_stopped';

export interface ProviderStop {
  /** The provider that refused, e.g. "qichacha". */
  provider: string;
  kind: 'auth' | 'quota';
  /** The adapter's one-line message (never a secret, never a body). */
  message: string;
  /** When the stop was recorded, ISO 8601 UTC. */
  at: string;
  /** When the worker resumes on its own (the provider advised a wait), ISO 8601 UTC; null: an operator resumes. */
  resumeAt: string | null;
}

/** The part of the meta repository the stop needs. */
export interface ProviderStopStore {
  get(key: string): Promise<string | undefined>;
  setIfAbsent(key: string, value: string): Promise<boolean>;
  delete(key: string): Promise<boolean>;
}

const stopSchema = z.object({
  provider: z.string(),
  kind: z.enum(['auth', 'quota']),
  message: z.string(),
  at: z.string(),
  resumeAt: z.string().nullable().default(null),
});

/** The record for `error` (an `auth` or `quota` answer) seen at `now` (epoch ms). */
export function toProviderStop(provider: string, error: ProviderError, now: number): ProviderStop {
  const advised = error.retryAfterMs !== undefined && error.retryAfterMs > 0 ? error.retryAfterMs : undefined;
  return {
    provider,
    kind: error.kind === 'quota' ? 'quota' : 'auth',
    message: error.message,
    at: new Date(now).toISOString(),
    resumeAt: advised === undefined ? null : new Date(now + advised).toISOString(),
  };
}

/** Records the stop unless one is recorded already; true when this call recorded it (and so alerts). */
export function recordProviderStop(store: ProviderStopStore, stop: ProviderStop): Promise<boolean> {
  return store.setIfAbsent(PROVIDER_STOP_KEY, JSON.stringify(stop));
}

/** The recorded stop, if any. A record that no longer parses still counts as a stop, described as such. */
export async function readProviderStop(store: Pick<ProviderStopStore, 'get'>): Promise<ProviderStop | undefined> {
  const raw = await store.get(PROVIDER_STOP_KEY);
  if (raw === undefined) return undefined;
  try {
    return stopSchema.parse(JSON.parse(raw));
  } catch {
    return { provider: 'unknown', kind: 'auth', message: 'unreadable provider stop record', at: new Date(0).toISOString(), resumeAt: null };
  }
}

/** Removes the record; returns what it held. */
export async function clearProviderStop(store: ProviderStopStore): Promise<ProviderStop | undefined> {
  const stop = await readProviderStop(store);
  await store.delete(PROVIDER_STOP_KEY);
  return stop;
}
