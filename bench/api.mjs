// The API and console under load: a store of N customers with 10 events each (1,000,000 events at the
// default 100,000), a real `serve` (the app as `credit-monitor serve` builds it) on a free port, and 20
// concurrent clients over HTTP. Measures p50/p99 of the main list routes and of the overview page.
// Usage: npm run bench -- --api [--customers 100000] [--requests 400] [--clients 20] [--store sqlite|postgres|both]
// PostgreSQL: the SQLite store is copied into a private durable PostgreSQL 15 cluster with `db copy`'s function.
// Progress goes to stderr; one JSON line per store to stdout: {"api": {"store", "routes": {...}, "p99Ms"}}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { issueToken } from '../dist/app/api-tokens.js';
import { loadConfig } from '../dist/config/load-config.js';
import { usccCheckCharacter } from '../dist/domain/uscc.js';
import { createLogger } from '../dist/logger.js';
import { copyStore } from '../dist/store/copy/copy-store.js';
import { migrateDatabase, openDatabase } from '../dist/store/database.js';
import { parseStoreLocation } from '../dist/store/store-location.js';
import { openStore } from '../dist/wiring/open-store.js';
import { startServer } from '../dist/wiring/start-server.js';
import { startPostgresServer } from '../dist-bench/postgres-server.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--api'),
  options: {
    customers: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '400' },
    clients: { type: 'string', default: '20' },
    store: { type: 'string', default: 'sqlite' },
  },
});
const customers = Number(values.customers);
const requestsPerRoute = Number(values.requests);
const clients = Number(values.clients);
const stores = { sqlite: ['sqlite'], postgres: ['postgres'], both: ['sqlite', 'postgres'] }[values.store];
if (stores === undefined) throw new Error(`--store must be sqlite, postgres or both, not ${values.store}`);
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const TIERS = ['critical', 'high', 'medium', 'low', 'info'];
const TYPES = ['serious_violation.listed', 'abnormal_operations.listed', 'registration.name_changed', 'registration.address_changed', 'monitoring.recovered'];
const GRADES = ['excellent', 'good', 'fair', 'risk', 'unrated'];

const uscc = (i) => {
  const first17 = `91440300${String(i).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

/** Raw prepared INSERTs (the fill is not what is measured): 10 events a customer over a year, a tenth unacknowledged. */
function fill(path) {
  const handle = openDatabase(path);
  migrateDatabase(handle);
  const db = handle.sqlite;
  db.pragma('synchronous = OFF');
  const start = Date.now() - 365 * 86_400_000;
  const yearMs = 365 * 86_400_000;
  const customer = db.prepare(`INSERT INTO customers (id, uscc, name, tags, paused, created_at, updated_at, last_checked_at, next_check_at,
    consecutive_failures, degraded, grade) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0, ?)`);
  const event = db.prepare(`INSERT INTO events (id, customer_id, type, tier, baseline, detected_at, source, payload, acknowledged_at, acknowledged_by)
    VALUES (?, ?, ?, ?, 0, ?, 'tianyancha', ?, ?, ?)`);
  const chunk = 5_000;
  for (let from = 0; from < customers; from += chunk) {
    db.transaction(() => {
      for (let i = from; i < Math.min(from + chunk, customers); i++) {
        const id = i + 1;
        const code = uscc(i);
        const name = `基准测试公司${i}有限公司`;
        const at = start + Math.floor((i / customers) * yearMs);
        customer.run(id, code, name, JSON.stringify(i % 3 === 0 ? ['华南', 'key'] : []), at, at, at, at + 86_400_000, i % 50 === 0 ? 2 : 0, GRADES[i % GRADES.length]);
        for (let e = 0; e < 10; e++) {
          const k = (i * 10 + e) % 97;
          const tier = TIERS[k % 5];
          const detectedAt = start + Math.floor(((i * 10 + e) / (customers * 10)) * yearMs);
          const acked = k % 10 !== 0;
          event.run(`evt-${i}-${e}`, id, TYPES[k % 5], tier, detectedAt, JSON.stringify({ customer: { uscc: code, name, tags: [] } }), acked ? detectedAt + 3_600_000 : null, acked ? 'ops' : null);
        }
      }
    })();
  }
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  handle.close();
}

const agent = new Agent({ connections: clients, pipelining: 1 });

async function timeRoute(base, path, headers) {
  const times = [];
  let next = 0;
  const worker = async () => {
    while (next < requestsPerRoute) {
      next++;
      const t = performance.now();
      const response = await request(`${base}${path}`, { dispatcher: agent, headers });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${path}: HTTP ${response.statusCode}`);
      times.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  times.sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10) / 10;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** Signs in through the console's form, as a browser does; returns the session cookie. */
async function sessionCookie(base, token) {
  const form = await request(`${base}/login`, { dispatcher: agent });
  const html = await form.body.text();
  const loginCookie = [form.headers['set-cookie']].flat().find((c) => c.startsWith('cm_login=')).split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)[1];
  const answer = await request(`${base}/login`, {
    dispatcher: agent,
    method: 'POST',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, _csrf: csrf }).toString(),
  });
  await answer.body.text();
  return [answer.headers['set-cookie']].flat().find((c) => c.startsWith('cm_session=')).split(';')[0];
}

async function measure(cmDb, storeName) {
  const config = loadConfig({ CM_DB: cmDb, LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1', CM_API_PORT: '0' }, process.cwd());
  const store = await openStore(config);
  const { token } = await issueToken(`bench-${storeName}`, 'viewer', { tokens: store.repos.tokens, clock: Date.now });
  await store.close();
  const server = await startServer(config, createLogger('silent'), { port: 0 });
  try {
    const bearer = { authorization: `Bearer ${token}` };
    const cookie = { cookie: await sessionCookie(server.url, token) };
    const routes = {
      'GET /api/customers': ['/api/customers?limit=50', bearer],
      'GET /api/customers?tier=critical': ['/api/customers?tier=critical&limit=50', bearer],
      'GET /api/customers?search=': ['/api/customers?search=%E5%85%AC%E5%8F%B8999&limit=50', bearer],
      'GET /api/events': ['/api/events?limit=50', bearer],
      'GET /api/events?tier=high&acknowledged=false': ['/api/events?tier=high&acknowledged=false&limit=50', bearer],
      'GET /api/cases': ['/api/cases?limit=50', bearer],
      'GET / (overview)': ['/', cookie],
      'GET /inbox': ['/inbox', cookie],
    };
    const results = {};
    for (const [name, [path, headers]] of Object.entries(routes)) {
      await timeRoute(server.url, path, headers); // warm-up round: caches and prepared statements
      results[name] = await timeRoute(server.url, path, headers);
      log(`${storeName} ${name}: p50 ${results[name].p50Ms} ms, p99 ${results[name].p99Ms} ms`);
    }
    const p99Ms = Math.max(...Object.values(results).map((r) => r.p99Ms));
    process.stdout.write(`${JSON.stringify({ api: { store: storeName, customers, events: customers * 10, clients, requestsPerRoute, routes: results, p99Ms } })}\n`);
  } finally {
    await server.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cm-bench-api-'));
let postgres;
try {
  const source = join(dir, 'bench.db');
  let t = performance.now();
  fill(source);
  log(`filled ${customers} customers and ${customers * 10} events in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  if (stores.includes('sqlite')) await measure(source, 'sqlite');
  if (stores.includes('postgres')) {
    postgres = await startPostgresServer({ durable: true });
    t = performance.now();
    await copyStore(parseStoreLocation(source, process.cwd()), parseStoreLocation(postgres.url, process.cwd()), { batchSize: 5000, onProgress: () => undefined });
    log(`copied to PostgreSQL in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    await measure(postgres.url, 'postgres');
  }
} finally {
  await agent.close();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}
