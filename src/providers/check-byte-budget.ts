/**
 * The bytes one check may read from its provider, across every page of every section. The per-page
 * limit (`maxBodyBytes`) alone lets one check read 25 pages of each of several lists, and a worker
 * runs several checks at once under a small heap: a provider that pads every page (broken, or
 * hostile) must cost a bounded amount of memory per check.
 *
 * One check's requests are spread over its sections, which are fetched concurrently, so the budget
 * travels with the check's async context (set once by `SectionTableProvider.fetchSections`) rather
 * than through every call down to the HTTP client.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Bytes read so far by the current check; the limit is the HTTP client's (`maxCheckBytes`). */
export interface CheckBytes {
  usedBytes: number;
}

const current = new AsyncLocalStorage<CheckBytes>();

/** Runs one check's fetches with a fresh byte count; requests made inside it share that count. */
export function runWithCheckBytes<T>(fetch: () => Promise<T>): Promise<T> {
  return current.run({ usedBytes: 0 }, fetch);
}

/** The running check's byte count, or undefined outside a check (a lone request has only its page limit). */
export function currentCheckBytes(): CheckBytes | undefined {
  return current.getStore();
}
