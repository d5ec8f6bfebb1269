// Scan throughput of the real daemon code path: N customers, the mock provider over loopback HTTP,
// a private redis-server, a real SQLite file. Usage: npm run bench [-- --customers 10000 --concurrency 16]
// Prints progress to stderr and one JSON line with the figures on stdout.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../dist/config/load-config.js';
import { usccCheckCharacter } from '../dist/domain/uscc.js';
import { createLogger } from '../dist/logger.js';
import { openStore } from '../dist/main.js';
import { startWorker } from '../dist/run-worker.js';

const { values } = parseArgs({
  options: { customers: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '16' } },
});
const customers = Number(values.customers);
const concurrency = Number(values.concurrency);
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

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

const dir = mkdtempSync(join(tmpdir(), 'cm-bench-'));
const redisPort = await freePort();
const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
  '--maxmemory-policy', 'noeviction', '--dir', dir], { stdio: 'ignore' });
let peakRss = 0;
const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
try {
  const companies = Array.from({ length: customers }, (_, i) => ({
    uscc: uscc(i), name: `基准测试公司${i}有限公司`, status: '存续', legalPerson: '张三', regCapital: '1000万人民币',
    address: '深圳市南山区', scope: '软件开发', establishedOn: '2010-01-01',
    abnormalOperations: i % 50 === 0 ? [{ listedOn: '2025-01-01', reason: '未按期公示年度报告', authority: '深圳市市场监督管理局' }] : [],
    seriousViolations: [],
  }));
  // The mock runs in its own process, so that the peak RSS measured here is the worker's alone.
  const stateFile = join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify({ companies }));
  const mockPort = await freePort();
  const mockProcess = spawn(process.execPath, ['dist/cli.js', 'mock-provider', '--port', String(mockPort), '--state', stateFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  await new Promise((resolve) => mockProcess.stdout.once('data', resolve));
  const mock = { url: `http://127.0.0.1:${mockPort}`, close: async () => { mockProcess.kill('SIGTERM'); } };
  const env = {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`, CM_DB: join(dir, 'bench.db'), CM_QUEUE_PREFIX: 'bench', CM_PROVIDER: 'mock',
    CM_PROVIDER_URL: mock.url, CM_PROVIDER_RATE: '10000', CM_HTTP_PORT: '0', LOG_LEVEL: 'warn', CM_SCAN_INTERVAL: '24h',
  };
  const config = loadConfig(env, process.cwd());
  const store = openStore(config);
  await store.repos.customers.upsertMany(companies.map((c) => ({ uscc: c.uscc, name: c.name, tags: [] })));
  companies.length = 0;
  global.gc?.();
  peakRss = process.memoryUsage().rss;
  log(`${customers} customers imported; starting the worker (concurrency ${concurrency})`);
  const started = performance.now();
  const worker = await startWorker(config, createLogger('warn'), { concurrency });
  const count = store.handle.sqlite.prepare('select count(*) as n from customers where last_checked_at is not null');
  for (;;) {
    const { n } = count.get();
    if (n >= customers) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  const snapshots = store.handle.sqlite.prepare('select count(*) as n from snapshots').get().n;
  const events = store.handle.sqlite.prepare('select count(*) as n from events').get().n;
  await worker.close();
  store.close();
  await mock.close();
  const result = {
    customers, concurrency, seconds: Number(seconds.toFixed(2)), checksPerSecond: Number((customers / seconds).toFixed(1)),
    peakRssMb: Math.round(peakRss / 1048576), snapshots, events, node: process.version,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  clearInterval(rssTimer);
  redis.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
