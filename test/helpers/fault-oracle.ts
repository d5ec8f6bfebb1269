/**
 * The end of every fault test (reliability.md §7.2, Jepsen's total-queue check adapted): the events
 * in the store equal the oracle's expected transitions (none lost, none unexpected, none doubled),
 * each customer with a transition that opens a case has exactly one case (and one `case.opened`),
 * and the webhook receiver saw every event under exactly one `webhook-id`, with valid signatures
 * and byte-identical bodies on any resend.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FaultRig } from './fault-rig.js';
import { pollUntil } from './poll-until.js';

export interface EventJson {
  id: string;
  type: string;
  tier: string;
  baseline: boolean;
  customer: { uscc: string; name: string };
  entry?: { key: string; listedOn: string | null; reason: string; removedOn?: string | null };
  change?: { field: string; before: string | null; after: string | null };
  evidence?: string;
}

/** What the oracle expects: a customer, an event type, the entry's listing date for list events, baseline or not. */
export interface Expected {
  uscc: string;
  type: string;
  listedOn?: string;
  baseline?: boolean;
}

const CASE_TIERS: ReadonlySet<string> = new Set(['critical', 'high', 'medium']);

export function expectedKey(e: Expected): string {
  return `${e.uscc}|${e.type}|${e.listedOn ?? ''}|${e.baseline === true ? 'baseline' : 'change'}`;
}

export function eventKey(e: EventJson): string {
  return expectedKey({
    uscc: e.customer.uscc,
    type: e.type,
    ...(e.entry?.listedOn ? { listedOn: e.entry.listedOn } : {}),
    baseline: e.baseline,
  });
}

/** Every event in the store, via the built CLI (`events --json`), oldest first. */
export async function storedEvents(rig: FaultRig): Promise<EventJson[]> {
  const result = await rig.cli(['events', '--json', '--limit', '1000000']);
  if (result.code !== 0) throw new Error(`events --json exited ${String(result.code)}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { events: EventJson[] }).events.reverse();
}

interface DeliveryRow {
  id: string;
  event_id: string;
  channel: string;
  status: string;
  attempts: number;
}

export function deliveryRows(rig: FaultRig): Promise<DeliveryRow[]> {
  return rig.sql<DeliveryRow>('select id, event_id, channel, status, attempts from deliveries');
}

export interface CustomerRow {
  uscc: string;
  last_checked_at: number | null;
  consecutive_failures: number;
}

export function customerRows(rig: FaultRig): Promise<CustomerRow[]> {
  return rig.sql<CustomerRow>('select uscc, last_checked_at, consecutive_failures from customers order by id');
}

/** One `count(*) as n` query's n (a number on both dialects: the pool parses int8 as one). */
export async function countOf(rig: FaultRig, text: string, ...params: unknown[]): Promise<number> {
  const [row] = await rig.sql<{ n: number | string }>(text, ...params);
  return Number(row?.n ?? 0);
}

/** Waits until the store holds `count` events (case events not counted) and every webhook delivery is sent. */
export async function waitForDelivered(rig: FaultRig, count: number, timeoutMs: number): Promise<void> {
  await pollUntil(
    async () => {
      // `count` transitions: the case events they bring come on top.
      if ((await countOf(rig, "select count(*) as n from events where type not like 'case.%'")) < count) return false;
      const webhook = (await deliveryRows(rig)).filter((d) => d.channel === 'webhook');
      // Critical and high go by e-mail at once too (the rest wait for the daily digest).
      const mailPending = await countOf(
        rig,
        "select count(*) as n from deliveries d join events e on e.id = d.event_id where d.channel = 'email' and e.tier in ('critical', 'high') and d.status <> 'sent'",
      );
      return webhook.length >= count && webhook.every((d) => d.status === 'sent') && mailPending === 0;
    },
    { timeoutMs, intervalMs: 100, what: `${count} event(s) recorded and delivered by webhook` },
  );
}

export interface DeliveryReport {
  received: number;
  distinctIds: number;
  /** How many webhook-ids were received more than once, failed attempts included (same body each time). */
  resent: number;
  /** webhook-ids the receiver accepted (2xx) more than once: allowed only after a lost 2xx (a crash). */
  acceptedTwice: string[];
  /** Messages the SMTP sink accepted. */
  emails: number;
}

/**
 * Asserts the store's events equal `expected` exactly (as a multiset) and that each was delivered
 * to the receiver under one webhook-id; returns what the receiver saw, for the test's log.
 */
export async function assertExactlyOnce(
  rig: FaultRig,
  expected: readonly Expected[],
  { allowResendAfterAccepted = false }: { allowResendAfterAccepted?: boolean } = {},
): Promise<DeliveryReport> {
  const events = await storedEvents(rig);
  const transitions = events.filter((e) => !e.type.startsWith('case.'));
  expect(transitions.map(eventKey).sort(), 'store events = expected transitions').toEqual(expected.map(expectedKey).sort());
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  // Cases (default cases.openAt medium; monitoring events open none): one per such customer, however
  // the checks were interrupted and retried.
  const opening = new Set(transitions.filter((e) => CASE_TIERS.has(e.tier) && !e.type.startsWith('monitoring.')).map((e) => e.customer.uscc));
  const opened = events.filter((e) => e.type === 'case.opened').map((e) => e.customer.uscc);
  expect(opened.sort(), 'one case.opened per customer with a case-opening event').toEqual([...opening].sort());
  expect(await countOf(rig, 'select count(*) as n from cases'), 'one case per such customer').toBe(opening.size);

  const received = rig.receiver.received;
  const invalid = received.filter((r) => !r.verified);
  expect(invalid.map((r) => r.verifyError), 'every webhook signature verifies').toEqual([]);
  const byId = new Map<string, string[]>();
  for (const r of received) {
    const id = r.headers['webhook-id'] ?? '';
    byId.set(id, [...(byId.get(id) ?? []), r.body]);
  }
  const resent = [...byId].filter(([, bodies]) => bodies.length > 1).map(([id]) => id);
  for (const id of resent) expect(new Set(byId.get(id)).size, `resend of ${id} carries the same body`).toBe(1);

  // One webhook-id per event, and it is the delivery row's id.
  const eventByWebhookId = new Map([...byId].map(([id, bodies]) => [id, (JSON.parse(bodies[0] ?? '{}') as { id: string }).id]));
  const deliveredEventIds = [...eventByWebhookId.values()].sort();
  expect(deliveredEventIds, 'each event delivered under exactly one webhook-id').toEqual(events.map((e) => e.id).sort());
  const webhookRows = (await deliveryRows(rig)).filter((d) => d.channel === 'webhook');
  expect(webhookRows.map((d) => d.id).sort()).toEqual([...byId.keys()].sort());
  expect(webhookRows.every((d) => d.status === 'sent')).toBe(true);
  for (const row of webhookRows) expect(eventByWebhookId.get(row.id)).toBe(row.event_id);
  const accepted = new Map<string, number>();
  for (const r of received) {
    if (typeof r.answer === 'number' && r.answer >= 200 && r.answer < 300) {
      const id = r.headers['webhook-id'] ?? '';
      accepted.set(id, (accepted.get(id) ?? 0) + 1);
    }
  }
  const acceptedTwice = [...accepted].filter(([, n]) => n > 1).map(([id]) => id);
  // Only a crash between the receiver's 2xx and the commit of "sent" may resend an accepted delivery.
  if (!allowResendAfterAccepted) expect(acceptedTwice, 'no delivery accepted twice').toEqual([]);
  // E-mail (critical and high at once; the rest wait for the digest): each sent row reached the sink.
  const emailSent = (await deliveryRows(rig)).filter((d) => d.channel === 'email' && d.status === 'sent');
  const mailed = rig.smtp.received.map((m) => {
    const header = m.parsed.headers.get('x-credit-monitor-event-id');
    return typeof header === 'string' ? header : '';
  });
  expect([...new Set(mailed)].sort(), 'each sent e-mail delivery reached the SMTP sink').toEqual(emailSent.map((d) => d.event_id).sort());
  if (!allowResendAfterAccepted) expect(mailed.length, 'no e-mail sent twice').toBe(new Set(mailed).size);
  return { received: received.length, distinctIds: byId.size, resent: resent.length, acceptedTwice, emails: mailed.length };
}

/** A small seeded PRNG (mulberry32), so a run can be replayed from its logged seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed for this run: `CM_FAULT_SEED` when set (to replay a failure), else `fallback`. Logged. */
export function faultSeed(test: string, fallback: number): number {
  const fromEnv = Number(process.env.CM_FAULT_SEED);
  const seed = Number.isInteger(fromEnv) && process.env.CM_FAULT_SEED !== undefined ? fromEnv : fallback;
  process.stderr.write(`[${test}] fault seed ${seed} (replay with CM_FAULT_SEED=${seed})\n`);
  return seed;
}

/** Customers for `customers import`: a CSV written into the rig's directory. */
export async function importCustomers(rig: FaultRig, companies: ReadonlyArray<{ uscc: string; name: string }>): Promise<void> {
  const file = join(rig.dir, 'customers.csv');
  writeFileSync(file, `uscc,name\n${companies.map((c) => `${c.uscc},${c.name}`).join('\n')}\n`);
  const result = await rig.cli(['customers', 'import', file]);
  if (result.code !== 0) throw new Error(`customers import exited ${String(result.code)}: ${result.stderr}`);
}
