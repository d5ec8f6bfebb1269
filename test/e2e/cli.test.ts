/**
 * The built CLI (`node dist/cli.js`) as a child process: exit codes, stdout/stderr contracts and the
 * JSON/CSV shapes of DESIGN "CLI" and "Contract details". `npm test` builds dist/ first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockProviderServer, type MockProviderServer } from '../../src/providers/mock/server.js';
import { testCompany, testEntries, testState } from '../helpers/mock-provider-fixtures.js';
import { cliSandbox, REPO_ROOT, type CliSandbox } from '../helpers/run-cli.js';
import { validUscc } from '../helpers/valid-uscc.js';

const CSV = join(REPO_ROOT, 'test', 'fixtures', 'csv');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const FORMULA_NAME = "=cmd|' /C calc'!A0";
const REVOKED = validUscc(201);

const FIXTURE_NAMES = {
  '91440300708461136T': '平安银行股份有限公司',
  '914403001922038216': '招商银行股份有限公司',
  '9152000071430580XT': '贵州茅台酒股份有限公司',
};

interface ListedCustomer {
  uscc: string;
  name: string;
  tags: string[];
  paused: boolean;
  lastCheckedAt: string | null;
  nextCheckAt: string | null;
  consecutiveFailures: number;
}

interface EventJson {
  id: string;
  type: string;
  tier: string;
  baseline: boolean;
  detectedAt: string;
  customer: { uscc: string; name: string };
  entry?: { key: string; listedOn: string | null; reason: string };
  change?: { field: string; before: string | null; after: string | null };
  acknowledgedAt?: string;
  acknowledgedBy?: string;
}

let cli: CliSandbox;

afterEach(() => {
  cli.cleanup();
});

function fresh(): CliSandbox {
  cli = cliSandbox();
  return cli;
}

async function listCustomers(sandbox: CliSandbox): Promise<ListedCustomer[]> {
  const result = await sandbox.run(['customers', 'list', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { customers: ListedCustomer[] }).customers;
}

/** One line (a single trailing newline allowed). */
function oneLine(text: string): string {
  const trimmed = text.replace(/\n$/, '');
  expect(trimmed).not.toContain('\n');
  return trimmed;
}

describe('migrate and customers', () => {
  it('migrate creates the store in an empty directory, and is idempotent', async () => {
    const c = fresh();
    const first = await c.run(['migrate']);
    expect(first.code, first.stderr).toBe(0);
    expect((await c.run(['migrate'])).code).toBe(0);
    expect(await listCustomers(c)).toEqual([]);
  });

  it.each(['utf8.csv', 'utf8-bom.csv', 'gbk.csv'])('imports %s with Chinese names intact', async (file) => {
    const c = fresh();
    const result = await c.run(['customers', 'import', join(CSV, file)]);
    expect(result.code, result.stderr).toBe(0);
    const customers = await listCustomers(c);
    expect(Object.fromEntries(customers.map((x) => [x.uscc, x.name]))).toEqual(FIXTURE_NAMES);
    expect(customers.find((x) => x.uscc === '91440300708461136T')).toMatchObject({
      tags: ['bank', 'shenzhen'],
      paused: false,
      lastCheckedAt: null,
      consecutiveFailures: 0,
    });
  });

  it('a file with bad rows: exit 1, every bad line named with its reason, valid rows imported', async () => {
    const c = fresh();
    const result = await c.run(['customers', 'import', join(CSV, 'bad-rows.csv')]);
    expect(result.code).toBe(1);
    const rejected = result.stderr.split('\n').filter((line) => line.includes('rejected line'));
    const byLine = new Map(rejected.map((line) => [Number(/rejected line (\d+)/.exec(line)?.[1]), line]));
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([4, 5, 7, 8, 10, 12, 13]);
    expect(byLine.get(4)).toMatch(/check digit/);
    expect(byLine.get(5)).toMatch(/18 characters/);
    expect(byLine.get(7)).toMatch(/name/);
    expect(byLine.get(8)).toMatch(/tag/);
    expect(byLine.get(10)).toMatch(/character 9/);
    expect(byLine.get(12)).toMatch(/fields/);
    expect(byLine.get(13)).toMatch(/uscc/);
    for (const line of rejected) expect(line).toContain('bad-rows.csv');
    expect((await listCustomers(c)).map((x) => [x.uscc, x.name])).toEqual([['91440300708461136T', 'Good One']]);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x00, 0x01])],
  ])('an %s file is refused whole: exit 2, one line, nothing imported', async (_name, bytes) => {
    const c = fresh();
    const file = join(c.dir, 'input.csv');
    writeFileSync(file, bytes);
    const result = await c.run(['customers', 'import', file]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain('input.csv');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await listCustomers(c)).toEqual([]);
  });

  it('customers add with a wrong check digit: exit 2 naming the check digit', async () => {
    const c = fresh();
    const result = await c.run(['customers', 'add', '--uscc', '91350100M000100Y4Z', '--name', 'X']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/check digit.*expected '3'/);
    expect(await listCustomers(c)).toEqual([]);
  });

  it('pause, resume and remove change the register and are audited', { timeout: 60_000 }, async () => {
    const c = fresh();
    const uscc = '91440300708461136T';
    expect((await c.run(['customers', 'add', '--uscc', uscc, '--name', '平安银行', '--tag', 'bank'])).code).toBe(0);
    expect((await c.run(['customers', 'pause', '--uscc', uscc])).code).toBe(0);
    expect((await listCustomers(c))[0]?.paused).toBe(true);
    expect((await c.run(['customers', 'resume', '--uscc', uscc])).code).toBe(0);
    expect((await listCustomers(c))[0]?.paused).toBe(false);
    expect((await c.run(['customers', 'remove', '--uscc', uscc])).code).toBe(0);
    expect(await listCustomers(c)).toEqual([]);

    const db = new Database(c.dbPath, { readonly: true });
    try {
      const rows = db.prepare('SELECT actor, action, subject FROM audit_log ORDER BY id').all() as Array<Record<string, string>>;
      expect(rows.map((r) => r.action)).toEqual(['customer.add', 'customer.pause', 'customer.resume', 'customer.remove']);
      for (const row of rows) {
        expect(row.subject).toBe(uscc);
        expect(row.actor).toMatch(/^cli:/);
      }
    } finally {
      db.close();
    }
  });
});

describe('check, events, alerts and status against a mock provider', () => {
  let server: MockProviderServer;

  beforeAll(async () => {
    server = await startMockProviderServer({
      state: testState(testCompany(201, { status: '吊销，未注销', seriousViolations: testEntries(1, 'SV') })),
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('check prints events; events --json/--csv, alerts ack and status --json have the contract shapes', async () => {
    const c = fresh();
    const provider = { CM_PROVIDER: 'mock', CM_PROVIDER_URL: server.url };
    expect((await c.run(['customers', 'add', '--uscc', REVOKED, '--name', FORMULA_NAME])).code).toBe(0);

    const check = await c.run(['check', '--uscc', REVOKED], provider);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('registration.status_changed');
    expect(check.stdout).toContain('serious_violation.listed');
    // Revoked and listed: risk from its first check, which is told too.
    expect(check.stdout).toMatch(/3 new event\(s\); grade risk \(was unrated\)/);

    const listed = await c.run(['events', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { events } = JSON.parse(listed.stdout) as { events: EventJson[] };
    // And the case they opened (cases.openAt medium).
    expect(events.map((e) => `${e.type}/${e.tier}`).sort()).toEqual([
      'case.opened/info',
      'grade.changed/high',
      'registration.status_changed/critical',
      'serious_violation.listed/critical',
    ]);
    for (const e of events.filter((event) => !event.type.startsWith('case.'))) {
      expect(e).toMatchObject({ baseline: true, customer: { uscc: REVOKED, name: FORMULA_NAME } });
      expect(e.id).toEqual(expect.any(String));
      expect(e.detectedAt).toMatch(ISO);
      expect(e.acknowledgedBy).toBeUndefined();
    }
    const sv = events.find((e) => e.type === 'serious_violation.listed');
    expect(sv?.entry).toMatchObject({ listedOn: '2025-01-15', reason: expect.any(String) as string });

    // CSV for Excel: BOM first, and the formula-looking name neutralised with a leading quote.
    const csv = await c.run(['events', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.startsWith('\uFEFF')).toBe(true);
    const cells = csv.stdout.split(/\r?\n/).slice(1).filter(Boolean).flatMap((line) => line.split(','));
    const nameCells = cells.filter((cell) => cell.includes('cmd|'));
    expect(nameCells.length).toBeGreaterThan(0);
    for (const cell of nameCells) expect(cell.replace(/^"/, '')).toMatch(/^'=cmd\|/);

    // Acknowledge one event, then see who acknowledged it.
    const target = events.find((e) => e.type === 'serious_violation.listed')!;
    const ack = await c.run(['alerts', 'ack', target.id, '--by', '李合规', '--note', '已电话核实']);
    expect(ack.code, ack.stderr).toBe(0);
    const after = JSON.parse((await c.run(['events', '--json'])).stdout) as { events: EventJson[] };
    const acked = after.events.find((e) => e.id === target.id);
    expect(acked?.acknowledgedBy).toBe('李合规');
    expect(acked?.acknowledgedAt).toMatch(ISO);
    // The alert's case is acknowledged with it, and with the case every event in it.
    expect(ack.stdout).toMatch(/case C-[0-9a-f]{16}: acknowledged by 李合规/);
    for (const other of after.events) expect(other.acknowledgedBy).toBe('李合规');

    const unknownAck = await c.run(['alerts', 'ack', 'no-such-event', '--by', 'x']);
    expect(unknownAck.code).not.toBe(0);
    expect(oneLine(unknownAck.stderr)).toContain('no-such-event');

    const status = await c.run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      customers: { total: 1, paused: 0, due: 0, failing: 0 },
      eventsLast24h: { critical: 2, high: 1, medium: 0, low: 0, info: 1 },
      deadDeliveries: 0,
    });
    // The contract's keys, plus the provider's stop and today's call counts (issue 5) and the
    // channels failing now (issue 9 point 11), the store it read (issue 11), what each grade gets (issue 12),
    // and the cases and the working-day calendar's coverage (issue 13).
    expect(Object.keys(doc).sort()).toEqual(['cadence', 'calendar', 'cases', 'customers', 'deadDeliveries', 'eventsLast24h', 'failingChannels', 'lastSweepAt', 'providerCalls', 'providerStop', 'queues', 'store']);
    expect(doc.store).toEqual({ dialect: 'sqlite', location: c.dbPath });
    expect(doc.providerStop).toBeNull();
    expect(doc.failingChannels).toEqual([]);
    expect(doc.lastSweepAt === null || (typeof doc.lastSweepAt === 'string' && ISO.test(doc.lastSweepAt))).toBe(true);
  });
});

describe('usage and configuration errors', () => {
  it.each([
    ['CM_SCAN_INTERVAL', 'abc'],
    ['CM_PROVIDER', 'foo'],
    ['CM_DEGRADED_AFTER', 'zero'],
  ])('%s=%s: exit 2, one line naming the variable', async (key, value) => {
    const c = fresh();
    const result = await c.run(['status', '--json'], { [key]: value });
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toContain(key);
    expect(result.stdout).toBe('');
  });

  it('an unknown option: exit 2', async () => {
    const c = fresh();
    const result = await c.run(['status', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--bogus');
  });
});
