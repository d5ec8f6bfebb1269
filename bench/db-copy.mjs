// `db copy` measured: a SQLite store with N customers and a year of their history (by default
// 100,000 customers, 100,000 snapshots, 300,000 events, 300,000 deliveries, plus audit rows), copied
// into an empty PostgreSQL 15 database and verified, through the same function the CLI calls.
// Usage: npm run build && npx tsc -p tsconfig.bench.json && node bench/db-copy.mjs [--customers 100000] [--batch-size 1000] [--to postgres://…]
// Without --to a private, durable PostgreSQL 15 cluster is started (the test helper, compiled to dist-bench/);
// with it, the database must be empty. Progress goes to stderr; one JSON line of figures to stdout.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { usccCheckCharacter } from '../dist/domain/uscc.js';
import { copyStore } from '../dist/store/copy/copy-store.js';
import { migrateDatabase, openDatabase } from '../dist/store/database.js';
import { parseStoreLocation, redactDatabaseUrl } from '../dist/store/store-location.js';
import { startPostgresServer } from '../dist-bench/postgres-server.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    'batch-size': { type: 'string', default: '1000' },
    to: { type: 'string' },
  },
});
const customers = Number(values.customers);
const batchSize = Number(values['batch-size']);
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

const uscc = (i) => {
  const first17 = `91440300${String(i).padStart(9, '0')}`;
  return first17 + usccCheckCharacter(first17);
};

/** Raw prepared INSERTs, 50,000 rows a transaction: the fill is not what is measured. */
function fill(path) {
  const handle = openDatabase(path);
  migrateDatabase(handle);
  const db = handle.sqlite;
  db.pragma('synchronous = OFF');
  const start = Date.UTC(2025, 11, 1);
  const yearMs = 365 * 86_400_000;
  const customer = db.prepare(`INSERT INTO customers (id, uscc, name, tags, paused, created_at, updated_at, last_checked_at, next_check_at,
    consecutive_failures, degraded) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, 0, 0)`);
  const snapshot = db.prepare(`INSERT INTO snapshots (id, customer_id, taken_at, hash, provider, provider_version, normaliser_version, body)
    VALUES (?, ?, ?, ?, 'tianyancha', '2', 3, ?)`);
  const event = db.prepare(`INSERT INTO events (id, customer_id, snapshot_id, type, tier, baseline, detected_at, source, payload)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'tianyancha', ?)`);
  const delivery = db.prepare(`INSERT INTO deliveries (id, event_id, channel, target, status, attempts, created_at, updated_at, sent_at)
    VALUES (?, ?, 'webhook', 'ops', 'sent', 1, ?, ?, ?)`);
  const audit = db.prepare("INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, 'cli:ops', 'customer.add', ?, ?)");
  const chunk = 50_000 / 8;
  for (let from = 0; from < customers; from += chunk) {
    db.transaction(() => {
      for (let i = from; i < Math.min(from + chunk, customers); i++) {
        const id = i + 1;
        const code = uscc(i);
        const name = `基准测试公司${i}有限公司`;
        const at = start + Math.floor((i / customers) * yearMs);
        customer.run(id, code, name, JSON.stringify(i % 3 === 0 ? ['华南', 'key'] : []), at, at, at, at + 86_400_000);
        const body = {
          registration: { name, status: 'active', statusRaw: '存续（在营、开业、在册）', legalRepresentative: '张三',
            registeredCapital: { amount: 10_000_000, currency: 'CNY' }, address: '深圳市南山区科技园科技中一路', businessScope: '软件开发；信息技术咨询服务；数据处理', establishedOn: '2010-05-20' },
          abnormalOperations: [{ key: `k${i}`, listedOn: '2025-01-01', reason: '通过登记的住所或者经营场所无法联系', authority: '深圳市市场监督管理局', removedOn: null, removalReason: null }],
          seriousViolations: [],
        };
        snapshot.run(id, id, at, `hash-${i}`, JSON.stringify(body));
        for (let e = 0; e < 3; e++) {
          // Three events per customer, in one millisecond: ties the copy must keep in order.
          const eventId = `evt-${i}-${2 - e}`;
          const payload = { entry: body.abnormalOperations[0], customer: { uscc: code, name, tags: [] } };
          event.run(eventId, id, id, 'abnormal_operations.listed', 'high', e === 0 ? 1 : 0, at + 1000, JSON.stringify(payload));
          delivery.run(`d-${eventId}`, eventId, at + 1000, at + 2000, at + 2000);
        }
        audit.run(at, code, JSON.stringify({ name, tags: [] }));
      }
    })();
  }
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  handle.close();
}

const dir = mkdtempSync(join(tmpdir(), 'cm-bench-copy-'));
let postgres;
try {
  const source = join(dir, 'source.db');
  let t = performance.now();
  fill(source);
  log(`filled ${source} (${(statSync(source).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  postgres = values.to === undefined ? await startPostgresServer({ durable: true }) : undefined;
  const url = values.to ?? postgres.url;
  // The last report of each table's phase is its whole time (a table can report done = total twice).
  const phases = { copy: new Map(), verify: new Map() };
  const phaseSeconds = (phase) => [...phases[phase].values()].reduce((sum, ms) => sum + ms, 0) / 1000;
  let last = 0;
  t = performance.now();
  const report = await copyStore(parseStoreLocation(source, process.cwd()), parseStoreLocation(url, process.cwd()), {
    batchSize,
    onProgress: (p) => {
      phases[p.phase].set(p.table, p.elapsedMs);
      const now = performance.now();
      if (now - last > 5000 || p.done === p.total) {
        last = now;
        log(`${p.phase} ${p.table} ${p.done}/${p.total} (${((p.done * 1000) / Math.max(p.elapsedMs, 1)).toFixed(0)} rows/s)`);
      }
    },
  });
  const seconds = (performance.now() - t) / 1000;
  const failed = report.tables.filter((table) => !table.ok).map((table) => table.table);
  if (failed.length > 0) throw new Error(`verification failed in ${failed.join(', ')}`);
  const rows = Object.fromEntries(report.tables.map((table) => [table.table, table.source.rows]));
  process.stdout.write(`${JSON.stringify({
    node: process.version,
    to: redactDatabaseUrl(url),
    batchSize,
    rows,
    totalRows: report.rows,
    totalSeconds: Number(seconds.toFixed(1)),
    copySeconds: Number(phaseSeconds('copy').toFixed(1)),
    verifySeconds: Number(phaseSeconds('verify').toFixed(1)),
    rowsPerSecond: Math.round(report.rows / seconds),
    copyRowsPerSecond: Math.round(report.rows / phaseSeconds('copy')),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`);
} finally {
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
}
