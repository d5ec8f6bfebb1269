// The daemon's real code path, measured: N customers, the mock provider over loopback HTTP (in its own
// process), a private redis-server, a real SQLite file, a webhook receiver. Side by side in the same
// run: the ceiling, raw undici requests per second against the same mock at the same concurrency.
// Then the rate-bound sweep (bench/rate-bound.mjs): a strict 天眼查 that allows Q requests in any
// sliding second, N customers, CM_PROVIDER_RATE=Q.
// The same sweep runs on SQLite, on PostgreSQL (a private durable PostgreSQL 15 server), or on both.
// Usage: npm run bench [-- --customers 20000 --concurrency 16 --samples 50 --rate-customers 400 --rate-allowance 20]
//        npm run bench -- --store postgres    (or --store both: the two side by side in one JSON line)
//        npm run bench -- --rate-only    (the rate-bound sweep alone; --skip-rate-bound leaves it out)
//        npm run bench -- --schedule     (only bench/schedule.mjs: the cadence by grade over a simulated year)
//        npm run bench -- --api          (only bench/api.mjs: API and console latency on 100,000 customers, 1,000,000 events)
// Progress goes to stderr; one JSON line with the figures goes to stdout.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Agent, request } from 'undici';
import { loadConfig } from '../dist/config/load-config.js';
import { usccCheckCharacter } from '../dist/domain/uscc.js';
import { openStore } from '../dist/wiring/open-store.js';
import { startPostgresServer } from '../dist-bench/postgres-server.js';
import { measureRateBound } from './rate-bound.mjs';

// The API and console under load (bench/api.mjs) is a run of its own.
if (process.argv.includes('--api')) {
  await import('./api.mjs');
  process.exit(0);
}

// The schedule simulation needs no servers: run it alone and stop before any is started.
if (process.argv.includes('--schedule')) {
  const { runScheduleBench } = await import('./schedule.mjs');
  await runScheduleBench(process.argv.slice(2));
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    samples: { type: 'string', default: '50' },
    'rate-customers': { type: 'string', default: '400' },
    'rate-allowance': { type: 'string', default: '20' },
    'rate-only': { type: 'boolean', default: false },
    store: { type: 'string', default: 'sqlite' },
    'skip-rate-bound': { type: 'boolean', default: false },
  },
});
const STORES = { sqlite: ['sqlite'], postgres: ['postgres'], both: ['sqlite', 'postgres'] }[values.store];
if (STORES === undefined) throw new Error(`--store must be sqlite, postgres or both, not ${values.store}`);
const customers = Number(values.customers);
const concurrency = Number(values.concurrency);
const samples = Number(values.samples);
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, predicate, timeoutMs, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const uscc = (i) => {
  const first17 = `91440300${String(i).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const dir = mkdtempSync(join(tmpdir(), 'cm-bench-'));
const redisPort = await freePort();
const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
  '--maxmemory-policy', 'noeviction', '--dir', dir], { stdio: 'ignore' });
const children = [redis];
try {
  const throughput = values['rate-only'] ? {} : await measureStores();
  const rateBound = values['skip-rate-bound'] ? undefined : await measureRateBound({
    dir, redisPort, customers: Number(values['rate-customers']), allowance: Number(values['rate-allowance']), concurrency, uscc, freePort,
    until, log, children,
  });
  process.stdout.write(`${JSON.stringify({ node: process.version, ...throughput, rateBound })}\n`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

/** The sweep on each store asked for; with both, PostgreSQL's checks/s as a share of SQLite's. */
async function measureStores() {
  const results = {};
  for (const dialect of STORES) {
    if (dialect === 'sqlite') {
      results.sqlite = await measureThroughput('sqlite', join(dir, 'bench.db'));
      continue;
    }
    // Durable (fsync on, like SQLite's synchronous=FULL): a fair comparison, not a tuned one.
    const server = await startPostgresServer({ durable: true, settings: { max_connections: '50' } });
    try {
      results.postgres = await measureThroughput('postgres', server.url);
    } finally {
      await server.stop();
    }
  }
  if (STORES.length === 1) return { store: STORES[0], ...results[STORES[0]] };
  return { ...results, postgresToSqlite: Number((results.postgres.checksPerSecond / results.sqlite.checksPerSecond).toFixed(2)) };
}

/** Raw counts and updates on either store, for the bench's own bookkeeping. */
function rawSql(store) {
  if (store.dialect === 'sqlite') {
    const db = store.handle.sqlite;
    return { one: async (text, ...params) => db.prepare(text).get(...params), run: async (text, ...params) => { db.prepare(text).run(...params); } };
  }
  const numbered = (text) => { let n = 0; return text.replace(/\?/g, () => `$${++n}`); };
  return {
    one: async (text, ...params) => (await store.handle.pool.query(numbered(text), params)).rows[0],
    run: async (text, ...params) => { await store.handle.pool.query(numbered(text), params); },
  };
}

/** Steps 1-4 (see docs/benchmarks.md): the ceiling, the baseline and unchanged sweeps, detection to delivery. */
async function measureThroughput(dialect, cmDb) {
  log(`store: ${dialect}`);
  // The provider's state: 2 % of the customers are already on the abnormal-operations list.
  // Written company by company, so that the bench process never holds the whole portfolio.
  const stateFile = join(dir, 'state.json');
  const fd = openSync(stateFile, 'w');
  writeSync(fd, '{"companies":[');
  for (let i = 0; i < customers; i++) {
    writeSync(fd, (i === 0 ? '' : ',') + JSON.stringify({
      uscc: uscc(i), name: `基准测试公司${i}有限公司`, status: '存续', legalPerson: '张三', regCapital: '1000万人民币',
      address: '深圳市南山区', scope: '软件开发', establishedOn: '2010-01-01',
      abnormalOperations: i % 50 === 0 ? [{ listedOn: '2025-01-01', reason: '未按期公示年度报告', authority: '深圳市市场监督管理局' }] : [],
      seriousViolations: [],
    }));
  }
  writeSync(fd, ']}');
  closeSync(fd);
  const mockPort = await freePort();
  const controlToken = randomBytes(16).toString('hex');
  const mockProcess = spawn(process.execPath, ['dist/cli.js', 'mock-provider', '--port', String(mockPort), '--state', stateFile, '--control-token', controlToken], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  children.push(mockProcess);
  await new Promise((resolve) => mockProcess.stdout.once('data', resolve));
  const mockUrl = `http://127.0.0.1:${mockPort}`;

  // The ceiling: the same requests a check makes, raw undici, same concurrency, nothing else.
  const agent = new Agent({ connections: concurrency });
  const ceilingChecks = Math.min(customers, 10_000);
  let next = 0;
  const ceilingStart = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < ceilingChecks) {
      const code = uscc(next++);
      await Promise.all(['registration', 'abnormal-operations?page=1&pageSize=20', 'serious-violations?page=1&pageSize=20'].map(async (path) => {
        const res = await request(`${mockUrl}/v1/companies/${code}/${path}`, { dispatcher: agent });
        await res.body.json();
      }));
    }
  }));
  const ceilingChecksPerSecond = ceilingChecks / ((performance.now() - ceilingStart) / 1000);
  await agent.close();
  log(`ceiling: ${ceilingChecksPerSecond.toFixed(0)} checks/s (${(ceilingChecksPerSecond * 3).toFixed(0)} requests/s)`);

  // A webhook receiver that notes when each event arrives.
  const arrivals = new Map();
  const receiver = createHttpServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      arrivals.set(`${body.type}:${body.customer.uscc}:${body.entry?.reason ?? ''}`, performance.now());
      res.writeHead(200).end();
    });
  });
  const receiverPort = await freePort();
  await new Promise((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));

  const env = {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`, CM_DB: cmDb, CM_QUEUE_PREFIX: `bench-${dialect}`, CM_PROVIDER: 'mock',
    CM_PROVIDER_URL: mockUrl, CM_PROVIDER_RATE: '10000', CM_HTTP_PORT: '0', LOG_LEVEL: 'warn', CM_SCAN_INTERVAL: '24h',
    CM_WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/hook`, CM_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  };
  const config = loadConfig(env, process.cwd());
  const store = await openStore(config);
  const db = rawSql(store);
  const batch = [];
  for (let i = 0; i < customers; i++) {
    batch.push({ uscc: uscc(i), name: `基准测试公司${i}有限公司`, tags: [] });
    if (batch.length === 5000 || i === customers - 1) await store.repos.customers.upsertMany(batch.splice(0));
  }
  log(`${customers} customers imported; baseline sweep (concurrency ${concurrency})`);

  const checkedSince = async (at) => Number((await db.one('select count(*) as n from customers where last_checked_at >= ?', at)).n);
  const countOf = async (table) => Number((await db.one(`select count(*) as n from ${table}`)).n);
  const baselineStart = Date.now();
  // The worker is the real CLI in a process of its own: its peak RSS (VmHWM) is the daemon's alone.
  const worker = spawn(process.execPath, ['dist/cli.js', 'worker', '--concurrency', String(concurrency), '--sweep-every', '1s'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.push(worker);
  const workerExited = new Promise((resolve) => worker.once('exit', resolve));
  await until('the baseline sweep', async () => (await checkedSince(baselineStart)) >= customers, 3_600_000);
  const baselineSeconds = (Date.now() - baselineStart) / 1000;
  const baselineEvents = await countOf('events');
  log(`baseline: ${(customers / baselineSeconds).toFixed(0)} checks/s`);

  // A second full sweep where nothing changed: the steady state, which must write no snapshot.
  const snapshotsBefore = await countOf('snapshots');
  const unchangedStart = Date.now();
  await db.run('update customers set next_check_at = 0');
  await until('the unchanged sweep', async () => (await checkedSince(unchangedStart)) >= customers, 3_600_000);
  const unchangedSeconds = (Date.now() - unchangedStart) / 1000;
  const snapshotWritesPerUnchanged = ((await countOf('snapshots')) - snapshotsBefore) / customers;
  const eventsFromUnchanged = (await countOf('events')) - baselineEvents;
  log(`unchanged: ${(customers / unchangedSeconds).toFixed(0)} checks/s, ${snapshotWritesPerUnchanged} snapshot writes per customer`);

  // Detection to delivery: a change at the provider, a public `rescan` job, the webhook's arrival.
  const scan = new Queue('scan', { connection: { host: '127.0.0.1', port: redisPort }, prefix: `bench-${dialect}` });
  const latencies = [];
  for (let s = 0; s < samples; s++) {
    const code = uscc(1 + s * 7);
    const reason = `基准变更${s}`;
    const changedAt = performance.now();
    const res = await request(`${mockUrl}/_control/companies/${code}/abnormal-operations`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-control-token': controlToken },
      body: JSON.stringify({ listedOn: '2026-11-20', reason, authority: '深圳市市场监督管理局' }),
    });
    if (res.statusCode >= 300) throw new Error(`control API answered ${res.statusCode}: ${await res.body.text()}`);
    await res.body.dump();
    await scan.add('rescan', { uscc: code });
    const key = `abnormal_operations.listed:${code}:${reason}`;
    await until(`the webhook for sample ${s}`, () => arrivals.has(key), 30_000);
    latencies.push(arrivals.get(key) - changedAt);
  }
  await scan.close();
  latencies.sort((a, b) => a - b);

  const peakRssKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${worker.pid}/status`, 'utf8'))?.[1] ?? 0);
  worker.kill('SIGTERM');
  await workerExited;
  await store.close();
  receiver.close();
  mockProcess.kill('SIGTERM');
  const checksPerSecond = customers / baselineSeconds;
  const result = {
    customers, concurrency,
    checksPerSecond: Number(checksPerSecond.toFixed(1)),
    unchangedChecksPerSecond: Number((customers / unchangedSeconds).toFixed(1)),
    ceilingChecksPerSecond: Number(ceilingChecksPerSecond.toFixed(1)),
    ratioToCeiling: Number((checksPerSecond / ceilingChecksPerSecond).toFixed(2)),
    peakRssMb: Math.round(peakRssKb / 1024),
    snapshotWritesPerUnchangedCustomer: snapshotWritesPerUnchanged,
    eventsFromUnchangedSweep: eventsFromUnchanged,
    detectionToDeliveryMs: { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)), samples },
  };
  return result;
}
