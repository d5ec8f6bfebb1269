/**
 * `credit-monitor rescan` and the daily provider call budget (the built CLI against a real Redis):
 * a fan-out (`--all`, `--tag`) whose estimated cost is more than what is left of today's budget is
 * refused with exit 1 and one line naming both, nothing recorded or queued; `--force` queues it and
 * says what it costs; a single `--uscc` re-scan is never refused.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../src/domain/dates.js';
import { providerCallsKey } from '../../src/jobs/provider-call-counter.js';
import { QUEUE } from '../../src/jobs/queue-names.js';
import { cliSandbox, type CliResult, type CliSandbox } from '../helpers/run-cli.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { validUscc } from '../helpers/valid-uscc.js';

const COUNT = 10;
const uscc = (n: number): string => validUscc(990 + n);
/** 3 of the 10 carry the tag "vip". */
const vip = (n: number): boolean => n < 3;
const BUDGET = 40;

describe('rescan and the daily call budget', () => {
  let redis: RedisServer;
  let client: Redis;
  let cli: CliSandbox;
  let queue: Queue;
  const prefix = `cmbudget-${randomBytes(4).toString('hex')}`;
  let env: Record<string, string>;

  const setUsedToday = async (calls: number): Promise<void> => {
    await client.hset(providerCallsKey(prefix, 'mock', shanghaiDay(Date.now())), 'registration', String(calls));
  };
  const rescan = (...args: string[]): Promise<CliResult> => cli.run(['rescan', ...args], env);
  const requests = (): Array<{ kind: string; force: number }> => {
    const db = new Database(cli.dbPath, { readonly: true });
    try {
      return db.prepare('select kind, force from rescan_requests order by id').all() as Array<{ kind: string; force: number }>;
    } finally {
      db.close();
    }
  };
  const waiting = async (): Promise<Array<Record<string, unknown>>> => (await queue.getJobs(['waiting'])).map((job) => job.data as Record<string, unknown>);

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
    cli = cliSandbox();
    const configPath = join(cli.dir, 'budget.json');
    writeFileSync(configPath, JSON.stringify({ provider: { dailyCallBudget: BUDGET } }));
    env = { REDIS_URL: redis.url, CM_QUEUE_PREFIX: prefix, CM_CONFIG: configPath, CM_PROVIDER: 'mock' };
    const csv = join(cli.dir, 'customers.csv');
    writeFileSync(csv, `uscc,name,tags\n${Array.from({ length: COUNT }, (_, n) => `${uscc(n)},客户${n},${vip(n) ? 'vip' : ''}`).join('\n')}\n`);
    const imported = await cli.run(['customers', 'import', csv], env);
    expect(imported.code, imported.stderr).toBe(0);
    queue = new Queue(QUEUE.scan, { connection: { url: redis.url }, prefix });
  });
  afterAll(async () => {
    await queue.close();
    client.disconnect();
    cli.cleanup();
    await redis.stop();
  });

  it('refuses a fan-out over what is left of the budget: exit 1, one line, nothing recorded or queued', async () => {
    await setUsedToday(20);
    const result = await rescan('--all');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      "credit-monitor: rescan --all: about 30 provider calls (10 customers × 3 sections) but only 20 of today's budget of 40 left: about 10 over; nothing queued (add --force to go over the budget, or narrow it with --tag or --uscc)",
    ]);
    expect(requests()).toEqual([]);
    expect(await waiting()).toEqual([]);
  });

  it('queues a fan-out that fits and says what it costs', async () => {
    const result = await rescan('--tag', 'vip');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^queued 1 rescan job\(s\): rescan-request-\d+-\d+\n/);
    expect(result.stdout).toContain("rescan --tag vip: about 9 provider calls (3 customers × 3 sections); 20 of today's budget of 40 left\n");
    expect(requests()).toEqual([{ kind: 'tag', force: 0 }]);
    expect(await waiting()).toEqual([{ tag: 'vip', requestId: 1 }]);
  });

  it('--force queues the fan-out anyway and says by how much it goes over', async () => {
    const result = await rescan('--all', '--force');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("rescan --all: about 30 provider calls (10 customers × 3 sections) but only 20 of today's budget of 40 left: about 10 over\n");
    expect(requests()).toEqual([{ kind: 'tag', force: 0 }, { kind: 'all', force: 1 }]);
    expect(await waiting()).toContainEqual({ all: true, requestId: 2 });
  });

  it('never refuses a single re-scan, even with the budget spent', async () => {
    await setUsedToday(BUDGET + 5);
    const result = await rescan('--uscc', uscc(5), '--uscc', uscc(6));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^queued 2 rescan job\(s\)/);
    expect(requests().slice(2)).toEqual([{ kind: 'uscc', force: 0 }, { kind: 'uscc', force: 0 }]);
  });
});
