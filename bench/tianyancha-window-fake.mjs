// A strict 天眼查 for the rate-bound bench, in a process of its own: it accepts at most --per-second
// requests in any sliding second, measured at arrival, and refuses the rest with error_code 300004
// (访问频率过快), HTTP 200, as the provider does. Every answer waits 20-60 ms (--latency, seeded).
// Any credit code exists: base info names it, both lists answer 300000 (no data).
// GET /_stats → {"requests", "refused", "firstAt", "lastAt"} (epoch ms of the first and last arrival).
// Usage: node bench/tianyancha-window-fake.mjs --port N --per-second Q --latency 20-60 --token T
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'per-second': { type: 'string', default: '20' },
    latency: { type: 'string', default: '20-60' },
    token: { type: 'string', default: 'bench-token' },
    seed: { type: 'string', default: '20' },
  },
});
const perSecond = Number(values['per-second']);
const [minMs, maxMs] = values.latency.split('-').map(Number);

// mulberry32: the same latencies on every run.
let state = Number(values.seed) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const accepted = []; // arrival times (performance.now) of accepted requests within the last second
const stats = { requests: 0, refused: 0, firstAt: null, lastAt: null };

const send = (res, body) => {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length) }).end(payload);
};

const server = createServer((req, res) => {
  const now = performance.now();
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  if (url.pathname === '/_stats') {
    send(res, stats);
    return;
  }
  stats.requests += 1;
  const at = performance.timeOrigin + now;
  stats.firstAt ??= at;
  stats.lastAt = at;
  while (accepted.length > 0 && now - accepted[0] >= 1000) accepted.shift();
  const refused = accepted.length >= perSecond;
  if (refused) stats.refused += 1;
  else accepted.push(now);
  setTimeout(() => {
    if (refused) return send(res, { error_code: 300004, reason: '访问频率过快' });
    if (req.headers.authorization !== values.token) return send(res, { error_code: 300009, reason: '账号信息有误' });
    const keyword = url.searchParams.get('keyword') ?? '';
    if (url.pathname !== '/services/open/ic/baseinfo/normal') return send(res, { error_code: 300000, reason: '无数据' });
    send(res, {
      error_code: 0,
      reason: 'ok',
      result: {
        id: 1, name: `限速基准公司${keyword.slice(-6)}`, creditCode: keyword, regStatus: '存续', legalPersonName: '张三',
        regCapital: '1000万人民币', regLocation: '深圳市南山区', businessScope: '软件开发', estiblishTime: 1262275200000,
      },
    });
  }, minMs + random() * (maxMs - minMs));
});
server.keepAliveTimeout = 30_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
