// The rate-bound sweep (issue 9, point 12): N customers against a strict 天眼查 that accepts Q
// requests in any sliding second and refuses the rest with 300004, 20-60 ms answers, and the worker
// (the real CLI, CM_PROVIDER=tianyancha) at CM_PROVIDER_RATE=Q. Each check is 3 requests, so no
// sweep can beat 3N/Q seconds; the target is zero refused and at most 1.05 x that.
// sweepSeconds runs from the provider's first request to the moment every customer's check is
// recorded in SQLite (polled every 20 ms).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';
import { loadConfig } from '../dist/config/load-config.js';
import { openStore } from '../dist/wiring/open-store.js';

const TOKEN = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

export async function measureRateBound({ dir, redisPort, customers, allowance, concurrency, uscc, freePort, until, log, children }) {
  const fakePort = await freePort();
  const fake = spawn(process.execPath, ['bench/tianyancha-window-fake.mjs', '--port', String(fakePort), '--per-second', String(allowance),
    '--latency', '20-60', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(fake);
  await new Promise((resolve) => fake.stdout.once('data', resolve));
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  const fakeStats = async () => (await (await request(`${fakeUrl}/_stats`)).body.json());

  const env = {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`, CM_DB: join(dir, 'rate-bound.db'), CM_QUEUE_PREFIX: 'bench-rate',
    CM_PROVIDER: 'tianyancha', CM_PROVIDER_URL: fakeUrl, CM_TIANYANCHA_TOKEN: TOKEN, CM_PROVIDER_RATE: String(allowance),
    CM_HTTP_PORT: '0', LOG_LEVEL: 'warn', CM_SCAN_INTERVAL: '24h',
  };
  const store = await openStore(loadConfig(env, process.cwd()));
  await store.repos.customers.upsertMany(Array.from({ length: customers }, (_, i) => ({ uscc: uscc(500_000 + i), name: `限速基准公司${i}`, tags: [] })));
  const db = store.handle.sqlite;
  const checked = db.prepare('select count(*) as n from customers where last_checked_at is not null');
  log(`rate-bound: ${customers} customers, provider allows ${allowance} requests in any sliding second, CM_PROVIDER_RATE=${allowance}`);

  const worker = spawn(process.execPath, ['dist/cli.js', 'worker', '--concurrency', String(concurrency), '--sweep-every', '1s'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.push(worker);
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await until('the rate-bound sweep', () => checked.get().n >= customers, 600_000, 20);
  const doneAt = Date.now();
  const stats = await fakeStats();
  worker.kill('SIGTERM');
  await exited;
  await store.close();
  fake.kill('SIGTERM');

  const sweepSeconds = (doneAt - stats.firstAt) / 1000;
  const idealSeconds = (3 * customers) / allowance;
  const accepted = stats.requests - stats.refused;
  const result = {
    customers,
    allowance,
    refused: stats.refused,
    sweepSeconds: Number(sweepSeconds.toFixed(2)),
    idealSeconds: Number(idealSeconds.toFixed(2)),
    utilisation: Number((accepted / (allowance * sweepSeconds)).toFixed(3)),
  };
  log(`rate-bound: ${result.refused} refused, ${result.sweepSeconds} s for an ideal ${result.idealSeconds} s (${(sweepSeconds / idealSeconds).toFixed(3)} x)`);
  return result;
}
