import type { Grade } from '../domain/grades.js';
import type { Tier } from '../domain/events.js';

/** One page of a list: the items, how many match in all, and the cursor of the next page (null: last). */
export interface Page<T> {
  items: T[];
  total: number;
  next: string | null;
}

/** What the customers list filters on (API `GET /api/customers`, the console's customer list). */
export interface CustomerPageFilter {
  grade?: Grade;
  /** Customers with an unacknowledged event of this tier. */
  tier?: Tier;
  tag?: string;
  /** `monitored`: neither paused nor removed; `failing`: last check failed; `removed`: kept history. */
  state?: 'monitored' | 'paused' | 'failing' | 'removed';
  /** A code prefix or a part of the name (case-insensitive). */
  search?: string;
  /** 1..500. */
  limit: number;
  /** Opaque: the `next` of the page before. */
  cursor?: string;
}

/** What the events list filters on (API `GET /api/events`, the console's inbox). Newest first. */
export interface EventPageFilter {
  tier?: Tier;
  /** true: acknowledged only; false: unacknowledged only. */
  acknowledged?: boolean;
  uscc?: string;
  /** Epoch ms: detected at or after. */
  since?: number;
  /** 1..500. */
  limit: number;
  cursor?: string;
}
