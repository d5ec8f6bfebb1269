// Cadence by grade, measured (issue 12, point 6): a year of a 100,000-customer portfolio, with changes
// arriving at each customer as a Poisson process (more often for worse grades), checked either by a
// flat daily sweep or by the grade cadence the compiled planner (dist/domain/grade-cadence.js) makes of
// `schedule.byGrade` under a daily call budget equal to one flat daily sweep. A change is detected by
// the first successful check at or after it; detection latency is that check's time minus the change's.
// Usage: npm run bench -- --schedule [--seed N] [--ask risk=1h,fair=12h,good=1d,excellent=7d]
//        (--ask replaces config/default.json's schedule.byGrade; grades left out follow the 24 h default).
// Progress and the plan go to stderr; one JSON line {"schedule": {"flat": P, "byGrade": P}} to stdout.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../dist/config/load-config.js';
import { parseDuration } from '../dist/config/duration.js';
import { planGradeCadence } from '../dist/domain/grade-cadence.js';
import { createSeededRandom } from '../dist/providers/mock/seeded-random.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365 * DAY_MS;
/** The sweep's tick (src/jobs/maintenance.ts): a due customer is enqueued at the next minute. */
const TICK_MS = 60_000;
const GRADES = ['risk', 'fair', 'good', 'excellent'];

/** The portfolio: 100,000 customers, 2 % risk, 18 % fair, 40 % good, 40 % excellent. */
const CUSTOMERS = { risk: 2_000, fair: 18_000, good: 40_000, excellent: 40_000 };
/**
 * Changes per customer per year (a new listing, a status change, a penalty, a removal): a customer
 * already in trouble moves most (risk 24, twice a month), fair 4, good 1, excellent 0.25.
 */
const CHANGES_PER_YEAR = { risk: 24, fair: 4, good: 1, excellent: 0.25 };
/** Calls per check: registration and the two lists (optional sections off, as shipped). */
const CALLS_PER_CHECK = 3;
/** Share of checks with a failed section (not diffed, the change waits for the next check). */
const FAILED_CHECK_SHARE = 0.01;

export async function runScheduleBench(argv) {
  const { values } = parseArgs({
    args: argv,
    options: { schedule: { type: 'boolean' }, seed: { type: 'string', default: '20261127' }, ask: { type: 'string' } },
  });
  const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
  const total = Object.values(CUSTOMERS).reduce((a, b) => a + b, 0);
  const budget = total * CALLS_PER_CHECK;
  const asked = values.ask === undefined ? shippedByGrade() : parseAsk(values.ask);
  const plan = planGradeCadence({ byGradeMs: asked, defaultIntervalMs: DAY_MS, customers: CUSTOMERS, callsPerCheck: CALLS_PER_CHECK, dailyCallBudget: budget });
  const planned = Object.fromEntries(GRADES.map((g) => [g, plan.byGrade[g].intervalMs]));
  log(`portfolio ${total} customers ${JSON.stringify(CUSTOMERS)}, changes/customer/year ${JSON.stringify(CHANGES_PER_YEAR)}, ${CALLS_PER_CHECK} calls/check, ${FAILED_CHECK_SHARE * 100} % checks failed, budget ${budget} calls/day`);
  log(`asked ${hours(asked)}; planned ${hours(planned)} (${Math.round(plan.callsPerDay)} calls/day expected; stretched: ${GRADES.filter((g) => plan.byGrade[g].stretched).join(', ') || 'none'})`);

  const seed = Number(values.seed);
  const flat = simulate(Object.fromEntries(GRADES.map((g) => [g, DAY_MS])), createSeededRandom(seed));
  const byGrade = simulate(planned, createSeededRandom(seed));
  log(`changes simulated per grade: ${JSON.stringify(byGrade.changes)}`);
  process.stdout.write(`${JSON.stringify({ schedule: { flat: flat.figures, byGrade: byGrade.figures } })}\n`);
}

function shippedByGrade() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  return loadConfig({}, root).scheduleByGradeMs;
}

function parseAsk(text) {
  return Object.fromEntries(
    text.split(',').map((pair) => {
      const [grade, duration] = pair.split('=');
      const ms = parseDuration(duration ?? '');
      if (!GRADES.includes(grade) || ms === undefined) throw new Error(`--ask: "${pair}" is not grade=duration (e.g. risk=1h)`);
      return [grade, ms];
    }),
  );
}

const hours = (intervals) => GRADES.map((g) => `${g} ${intervals[g] === undefined ? 'default' : `${round(intervals[g] / HOUR_MS)} h`}`).join(', ');
const round = (n) => Math.round(n * 100) / 100;

/** A year under `intervals` (ms per grade): calls per day and detection latency per grade. */
function simulate(intervals, random) {
  let checks = 0;
  const latencyHours = {};
  const changes = {};
  for (const grade of GRADES) {
    // Due again `interval` after a check, picked up at the next tick: the effective period.
    const period = Math.ceil(intervals[grade] / TICK_MS) * TICK_MS;
    const ratePerMs = CHANGES_PER_YEAR[grade] / YEAR_MS;
    const latencies = [];
    for (let c = 0; c < CUSTOMERS[grade]; c++) {
      // Checks at phase + k·period; phases are spread (customers were baselined over time).
      const phase = Math.floor((random() * period) / TICK_MS) * TICK_MS;
      checks += Math.ceil((YEAR_MS - phase) / period);
      for (let t = exponential(random, ratePerMs); t < YEAR_MS; t += exponential(random, ratePerMs)) {
        let check = phase + Math.ceil((t - phase) / period) * period;
        while (random() < FAILED_CHECK_SHARE) check += period;
        latencies.push((check - t) / HOUR_MS);
      }
    }
    latencies.sort((a, b) => a - b);
    changes[grade] = latencies.length;
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    latencyHours[grade] = { mean: round(mean), p95: round(latencies[Math.ceil(0.95 * latencies.length) - 1]) };
  }
  return { figures: { callsPerDay: Math.round((checks * CALLS_PER_CHECK) / 365), latencyHours }, changes };
}

function exponential(random, ratePerMs) {
  return -Math.log(1 - random()) / ratePerMs;
}
