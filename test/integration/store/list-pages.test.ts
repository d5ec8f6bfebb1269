/** The paged lists of customers and events (API `GET /api/customers`, `GET /api/events`) on both stores. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CustomerPageFilter, EventPageFilter, Page } from '../../../src/app/page-ports.js';
import type { Tier } from '../../../src/domain/events.js';
import { usccCheckCharacter } from '../../../src/domain/uscc.js';
import { customerPageQueries } from '../../../src/store/customers-page.js';
import type { CustomerRecord } from '../../../src/store/customers-repository.js';
import { eventPageQueries } from '../../../src/store/events-page.js';
import type { EventView } from '../../../src/store/events-repository.js';
import { customerPageQueries as pgCustomerPageQueries } from '../../../src/store/pg/customers-page.js';
import { eventPageQueries as pgEventPageQueries } from '../../../src/store/pg/events-page.js';
import type { Store } from '../../../src/wiring/open-store.js';
import { sampleCheck, sampleEvent } from '../../helpers/store-fixtures.js';
import { STORE_DIALECTS, useTestStores, type TestStore } from '../../helpers/test-stores.js';
import { validUscc } from '../../helpers/valid-uscc.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const HOUR = 3_600_000;
const LETTERED = '91310115MA1H7GY0K' + usccCheckCharacter('91310115MA1H7GY0K');

type State = 'monitored' | 'paused' | 'removed';
// Index = insertion order = id order.
const CUSTOMERS: Array<{ name: string; tags: string[]; grade: string; state: State; failures?: number; uscc?: string }> = [
  { name: '甲公司 Acme', tags: ['east'], grade: 'risk', state: 'monitored' },
  { name: '乙公司', tags: ['east', 'vip'], grade: 'good', state: 'paused' },
  { name: '丙公司', tags: [], grade: 'risk', state: 'removed' },
  { name: '丁公司 100%纯', tags: ['west'], grade: 'fair', state: 'monitored', failures: 2 },
  { name: '戊_公司', tags: ['eastern'], grade: 'unrated', state: 'monitored' },
  { name: '己公司\\后', tags: [], grade: 'excellent', state: 'paused', failures: 1 },
  { name: '庚公司', tags: ['east'], grade: 'risk', state: 'removed', failures: 3 },
  { name: 'ACME 深圳', tags: [], grade: 'good', state: 'monitored', uscc: LETTERED },
  { name: '辛公司', tags: [], grade: 'risk', state: 'monitored' },
  { name: '壬公司', tags: [], grade: 'risk', state: 'monitored' },
  { name: '癸公司', tags: ['vip'], grade: 'good', state: 'monitored' },
  { name: '子公司', tags: [], grade: 'unrated', state: 'monitored' },
];
const usccOf = (i: number): string => CUSTOMERS[i]?.uscc ?? validUscc(100 + i);

// Ids of one length and alphabet, so that both dialects' collations order them alike.
const EVENTS: Array<{ id: string; customer: number; tier: Tier; at: number; acked?: boolean }> = [
  { id: 'e01', customer: 0, tier: 'critical', at: T0 },
  { id: 'e02', customer: 0, tier: 'high', at: T0, acked: true },
  { id: 'e03', customer: 0, tier: 'info', at: T0 },
  { id: 'e04', customer: 1, tier: 'critical', at: T0 + HOUR, acked: true },
  { id: 'e05', customer: 1, tier: 'medium', at: T0 + 2 * HOUR },
  { id: 'e06', customer: 2, tier: 'critical', at: T0 + 2 * HOUR },
  { id: 'e07', customer: 3, tier: 'low', at: T0 + 3 * HOUR },
  { id: 'e08', customer: 3, tier: 'high', at: T0 + 3 * HOUR },
  { id: 'e09', customer: 7, tier: 'critical', at: T0 + 4 * HOUR, acked: true },
  { id: 'e10', customer: 7, tier: 'info', at: T0 + 5 * HOUR },
  { id: 'e11', customer: 4, tier: 'high', at: T0 + 5 * HOUR, acked: true },
  { id: 'e12', customer: 0, tier: 'low', at: T0 + 6 * HOUR },
];
const NEWEST_FIRST = [...EVENTS].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));

const NOT_REMOVED = [0, 1, 3, 4, 5, 7, 8, 9, 10, 11];
const CUSTOMER_CASES: Array<{ name: string; filter: Omit<CustomerPageFilter, 'limit'>; expected: number[] }> = [
  { name: 'no filter: every customer not removed', filter: {}, expected: NOT_REMOVED },
  { name: 'grade', filter: { grade: 'risk' }, expected: [0, 8, 9] },
  { name: 'grade nobody of the state has', filter: { grade: 'fair', state: 'removed' }, expected: [] },
  { name: 'a whole tag', filter: { tag: 'east' }, expected: [0, 1] },
  { name: 'another tag', filter: { tag: 'vip' }, expected: [1, 10] },
  { name: 'part of a tag matches nothing', filter: { tag: 'eas' }, expected: [] },
  { name: 'monitored: neither paused nor removed', filter: { state: 'monitored' }, expected: [0, 3, 4, 7, 8, 9, 10, 11] },
  { name: 'paused', filter: { state: 'paused' }, expected: [1, 5] },
  { name: 'failing: failures and not removed', filter: { state: 'failing' }, expected: [3, 5] },
  { name: 'removed', filter: { state: 'removed' }, expected: [2, 6] },
  { name: 'tier: an unacknowledged event of it', filter: { tier: 'critical' }, expected: [0] },
  { name: 'tier among removed ones', filter: { tier: 'critical', state: 'removed' }, expected: [2] },
  { name: 'tier, acknowledged ones left out', filter: { tier: 'high' }, expected: [3] },
  { name: 'tier info', filter: { tier: 'info' }, expected: [0, 7] },
  { name: 'tier low', filter: { tier: 'low' }, expected: [0, 3] },
  { name: 'tier medium (paused customer)', filter: { tier: 'medium' }, expected: [1] },
  { name: 'search a name part, any case', filter: { search: 'acme' }, expected: [0, 7] },
  { name: 'search in upper case', filter: { search: ' ACME ' }, expected: [0, 7] },
  { name: 'search a Chinese name part', filter: { search: '公司' }, expected: [0, 1, 3, 4, 5, 8, 9, 10, 11] },
  { name: 'search % literally', filter: { search: '%' }, expected: [3] },
  { name: 'search 100% literally', filter: { search: '100%' }, expected: [3] },
  { name: 'search _ literally', filter: { search: '_' }, expected: [4] },
  { name: 'search a backslash literally', filter: { search: '\\' }, expected: [5] },
  { name: 'search a code prefix in lower case', filter: { search: '91310115ma1h' }, expected: [7] },
  { name: 'search a full-width code prefix', filter: { search: '９１３１' }, expected: [7] },
  { name: 'search a whole code', filter: { search: usccOf(8) }, expected: [8] },
  { name: 'search a shared code prefix', filter: { search: '91440300' }, expected: [0, 1, 3, 4, 5, 8, 9, 10, 11] },
  { name: 'search the middle of a code matches nothing', filter: { search: '0115MA1H' }, expected: [] },
  { name: 'grade and tag', filter: { grade: 'risk', tag: 'east' }, expected: [0] },
  { name: 'state and grade', filter: { state: 'paused', grade: 'excellent' }, expected: [5] },
  { name: 'search and tier', filter: { search: 'acme', tier: 'info' }, expected: [0, 7] },
  { name: 'search and grade', filter: { search: 'acme', grade: 'good' }, expected: [7] },
];

const EVENT_CASES: Array<{ name: string; filter: Omit<EventPageFilter, 'limit'>; keep: (e: (typeof EVENTS)[number]) => boolean }> = [
  { name: 'no filter', filter: {}, keep: () => true },
  { name: 'tier', filter: { tier: 'critical' }, keep: (e) => e.tier === 'critical' },
  { name: 'acknowledged', filter: { acknowledged: true }, keep: (e) => e.acked === true },
  { name: 'unacknowledged', filter: { acknowledged: false }, keep: (e) => e.acked !== true },
  { name: 'uscc', filter: { uscc: usccOf(0) }, keep: (e) => e.customer === 0 },
  { name: 'uscc of nobody', filter: { uscc: validUscc(999) }, keep: () => false },
  { name: 'since (inclusive)', filter: { since: T0 + 3 * HOUR }, keep: (e) => e.at >= T0 + 3 * HOUR },
  { name: 'tier and unacknowledged', filter: { tier: 'critical', acknowledged: false }, keep: (e) => e.tier === 'critical' && e.acked !== true },
  { name: 'tier and since', filter: { tier: 'high', since: T0 + 3 * HOUR }, keep: (e) => e.tier === 'high' && e.at >= T0 + 3 * HOUR },
  { name: 'uscc and unacknowledged', filter: { uscc: usccOf(0), acknowledged: false }, keep: (e) => e.customer === 0 && e.acked !== true },
];

/** Every page from the first, checking each one's total and that only the last has no `next`. */
async function allPages<T>(read: (cursor: string | undefined) => Promise<Page<T>>, expectedTotal: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= 100; pages++) {
    const page = await read(cursor);
    expect(page.total).toBe(expectedTotal);
    items.push(...page.items);
    if (page.next === null) return { items, pages };
    expect(page.items.length).toBeGreaterThan(0);
    cursor = page.next;
  }
  throw new Error('more than 100 pages');
}

describe.each(STORE_DIALECTS)('paged lists on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;

  beforeEach(async () => {
    t = await stores.open();
    const ids: number[] = [];
    for (const [i, c] of CUSTOMERS.entries()) ids.push((await t.repos.customers.add({ uscc: usccOf(i), name: c.name, tags: c.tags })).customer.id);
    for (const [i, id] of ids.entries()) {
      const events = EVENTS.filter((e) => e.customer === i).map((e) => sampleEvent(id, { id: e.id, tier: e.tier, detectedAt: e.at }));
      if (events.length > 0) await t.repos.checks.recordCheck(sampleCheck(id, events));
    }
    for (const e of EVENTS) if (e.acked === true) await t.repos.events.acknowledge(e.id, 'analyst', null, T0 + 10 * HOUR);
    for (const [i, c] of CUSTOMERS.entries()) {
      await t.sql('update customers set grade = ?, consecutive_failures = ? where uscc = ?', c.grade, c.failures ?? 0, usccOf(i));
      if (c.state === 'paused') await t.repos.customers.setPaused(usccOf(i), true);
      if (c.state === 'removed') await t.repos.customers.remove(usccOf(i));
    }
  });

  it('pages customers by id through every filter: each match once, in order, with the total on every page', async () => {
    for (const { name, filter, expected } of CUSTOMER_CASES) {
      for (const limit of [2, 3]) {
        const { items, pages } = await allPages((cursor) => t.repos.customers.page({ ...filter, limit, ...(cursor === undefined ? {} : { cursor }) }), expected.length);
        expect(items.map((c) => c.uscc), `${name}, limit ${limit}`).toEqual(expected.map(usccOf));
        expect(pages, `${name}, limit ${limit}: no empty page after the last`).toBe(Math.max(1, Math.ceil(expected.length / limit)));
      }
    }
  });

  it('gives each customer with its grade, tags and state', async () => {
    const { items } = await t.repos.customers.page({ limit: 500, state: 'failing' });
    expect(items).toEqual([
      expect.objectContaining<Partial<CustomerRecord>>({ uscc: usccOf(3), name: '丁公司 100%纯', tags: ['west'], grade: 'fair', paused: false, consecutiveFailures: 2, removedAt: null }),
      expect.objectContaining<Partial<CustomerRecord>>({ uscc: usccOf(5), grade: 'excellent', paused: true, consecutiveFailures: 1 }),
    ]);
  });

  it('keeps a customers cursor valid when the customer it names is removed', async () => {
    const first = await t.repos.customers.page({ limit: 2 });
    expect(first.items.map((c) => c.uscc)).toEqual([usccOf(0), usccOf(1)]);
    await t.repos.customers.remove(usccOf(1));
    const second = await t.repos.customers.page({ limit: 2, cursor: first.next ?? '' });
    expect(second.items.map((c) => c.uscc)).toEqual([usccOf(3), usccOf(4)]);
    expect(second.total).toBe(NOT_REMOVED.length - 1);
  });

  it('pages events newest first (detected_at, then id) through every filter, ties split across pages', async () => {
    for (const { name, filter, keep } of EVENT_CASES) {
      const expected = NEWEST_FIRST.filter(keep).map((e) => e.id);
      for (const limit of [1, 2, 5]) {
        const { items, pages } = await allPages((cursor) => t.repos.events.page({ ...filter, limit, ...(cursor === undefined ? {} : { cursor }) }), expected.length);
        expect(items.map((e) => e.id), `${name}, limit ${limit}`).toEqual(expected);
        expect(pages, `${name}, limit ${limit}`).toBe(Math.max(1, Math.ceil(expected.length / limit)));
      }
    }
  });

  it('gives events in the events --json shape, dead deliveries included', async () => {
    await t.sql("update deliveries set status = 'dead', last_error = 'HTTP 500' where event_id = ?", 'e09');
    const page = await t.repos.events.page({ limit: 2, since: T0 + 4 * HOUR, tier: 'critical' });
    expect(page).toEqual({
      items: [
        expect.objectContaining<Partial<EventView>>({
          id: 'e09',
          tier: 'critical',
          type: 'abnormal_operations.listed',
          detectedAt: new Date(T0 + 4 * HOUR).toISOString(),
          customer: { uscc: LETTERED, name: 'ACME 深圳' },
          acknowledgedAt: new Date(T0 + 10 * HOUR).toISOString(),
          acknowledgedBy: 'analyst',
          deadDeliveries: [{ channel: 'webhook', target: 'https://example.test/hook', error: 'HTTP 500' }],
        }),
      ],
      total: 1,
      next: null,
    });
    const [view] = (await t.repos.events.page({ limit: 1, uscc: usccOf(0) })).items;
    expect(view).not.toHaveProperty('acknowledgedAt');
    expect(view).not.toHaveProperty('deadDeliveries');
    expect(await t.repos.events.query({ limit: 1, uscc: usccOf(0) })).toEqual([view]);
  });

  it('refuses a malformed cursor or limit with USAGE', async () => {
    const customersCursor = (await t.repos.customers.page({ limit: 1 })).next ?? '';
    const eventsCursor = (await t.repos.events.page({ limit: 1 })).next ?? '';
    const base64 = (text: string) => Buffer.from(text).toString('base64url');
    const bad = ['', 'not a cursor!', base64('["c","1"]'), base64('{"id":1}'), base64('["c",-1]'), base64('["c",1.5]'), base64('not json'), `${customersCursor}=`];
    for (const cursor of [...bad, eventsCursor]) {
      await expect(t.repos.customers.page({ limit: 5, cursor }), cursor).rejects.toMatchObject({ name: 'AppError', code: 'USAGE' });
    }
    for (const cursor of [...bad, base64('["e",1,""]'), base64('["e","1","e01"]'), customersCursor]) {
      await expect(t.repos.events.page({ limit: 5, cursor }), cursor).rejects.toMatchObject({ name: 'AppError', code: 'USAGE' });
    }
    for (const limit of [0, 501, 1.5, Number.NaN]) {
      await expect(t.repos.customers.page({ limit })).rejects.toMatchObject({ code: 'USAGE' });
      await expect(t.repos.events.page({ limit })).rejects.toMatchObject({ code: 'USAGE' });
    }
    expect((await t.repos.events.page({ limit: 500 })).items).toHaveLength(EVENTS.length);
  });
});

interface Plans {
  rows: string;
  count: string;
}

/**
 * The query plans of a page's two statements, as the repository builds them. PostgreSQL's planner
 * prefers a sequential scan of a table this small whatever the indexes, so it is told not to: what
 * is checked is that an index serves the filter and the order, not the planner's choice at this size.
 */
async function pagePlans(store: Store, list: 'customers' | 'events', filter: CustomerPageFilter & EventPageFilter): Promise<Plans> {
  if (store.dialect === 'sqlite') {
    const { db, sqlite } = store.handle;
    const q = list === 'events' ? eventPageQueries(db, filter) : customerPageQueries(db, filter);
    const plan = ({ sql, params }: { sql: string; params: unknown[] }) =>
      (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail).join('\n');
    return { rows: plan(q.rows.toSQL()), count: plan(q.count.toSQL()) };
  }
  const q = list === 'events' ? pgEventPageQueries(store.handle.db, filter) : pgCustomerPageQueries(store.handle.db, filter);
  const client = await store.handle.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    const plan = async ({ sql, params }: { sql: string; params: unknown[] }) =>
      (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((row) => row['QUERY PLAN']).join('\n');
    return { rows: await plan(q.rows.toSQL()), count: await plan(q.count.toSQL()) };
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe.each(STORE_DIALECTS)('paged list query plans on %s', (dialect) => {
  const stores = useTestStores(dialect);
  let t: TestStore;

  beforeEach(async () => {
    t = await stores.open();
    const { customer } = await t.repos.customers.add({ uscc: usccOf(0), name: '甲公司' });
    await t.repos.checks.recordCheck(sampleCheck(customer.id, EVENTS.map((e) => sampleEvent(customer.id, { id: e.id, tier: e.tier, detectedAt: e.at }))));
    if (dialect === 'postgres') await t.sql('ANALYZE');
  });

  const cursor = Buffer.from(JSON.stringify(['e', T0, 'e02'])).toString('base64url');
  it.each([
    { name: 'no filter', filter: {}, index: 'events_detected_at_id_idx' },
    { name: 'a later page', filter: { cursor }, index: 'events_detected_at_id_idx' },
    { name: 'a tier', filter: { tier: 'critical' as const }, index: 'events_tier_detected_at_id_idx' },
    { name: 'a tier, a later page', filter: { tier: 'critical' as const, cursor }, index: 'events_tier_detected_at_id_idx' },
    { name: 'the inbox (unacknowledged)', filter: { acknowledged: false }, index: 'events_unacknowledged_detected_at_id_idx' },
    { name: 'the inbox of a tier', filter: { acknowledged: false, tier: 'high' as const }, index: 'events_unacknowledged_tier_detected_at_id_idx' },
  ])('reads the events page for $name from $index, newest first, without a sort', async ({ filter, index }) => {
    const { rows, count } = await pagePlans(t.store, 'events', { limit: 50, ...filter });
    if (dialect === 'postgres' && 'cursor' in filter) {
      // On a dozen rows PostgreSQL may walk the plain newest-first index and filter the tier (on a
      // million it seeks the tier's index, the keyset as its index condition); either way no sort.
      expect(rows).toMatch(/Index Scan Backward using events_\w+_idx/);
    } else {
      expect(rows).toContain(index);
    }
    if (dialect === 'sqlite') {
      expect(rows).toMatch(new RegExp(`(SCAN|SEARCH) events USING INDEX ${index}\\b`));
      expect(rows).not.toContain('TEMP B-TREE');
      // The count reads an index alone, never the table.
      expect(count).toMatch(/(SCAN|SEARCH) events USING COVERING INDEX/);
    } else {
      expect(rows).not.toMatch(/Sort|Seq Scan/);
      expect(count).toMatch(/Index Only Scan/);
      expect(count).not.toMatch(/Seq Scan/);
    }
  });

  it('reads the customers of an unacknowledged tier from the partial index of those events', async () => {
    const { rows, count } = await pagePlans(t.store, 'customers', { limit: 50, tier: 'critical' });
    for (const plan of [rows, count]) {
      expect(plan).toContain('events_unacknowledged_tier_customer_id_idx');
      if (dialect === 'sqlite') expect(plan).not.toContain('TEMP B-TREE');
      else expect(plan).not.toMatch(/Seq Scan on events/);
    }
  });
});
