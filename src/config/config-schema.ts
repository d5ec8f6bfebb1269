/**
 * The one schema of the configuration: the environment and the policy file together, checked
 * against each other, into `Config`. `Config` is this schema's output: its fields are documented
 * where they are built, below and in provider-config.ts.
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { NO_CALENDAR_DAYS } from '../domain/workday-calendar.js';
import { parseStoreLocation, storeLocationProblem } from '../store/store-location.js';
import { calendarFileSchema } from './calendar-file.js';
import { channelRoutingProblem } from './channel-routing.js';
import { envSchema, type Env } from './env-schema.js';
import { refuse } from './env-var.js';
import { policyFileSchema, type PolicyFile } from './policy-file-schema.js';
import { providerConfig } from './provider-config.js';
import { resolveWebhookTargets } from './webhook-targets.js';

/** What the schema reads. The file comes first, so that its faults are reported first. */
const sourcesSchema = z.object({
  /** The policy file's absolute path (CM_CONFIG, resolved). */
  configPath: z.string(),
  /** The directory relative paths (CM_DB) are resolved against. */
  cwd: z.string(),
  file: policyFileSchema,
  /** The working-day calendar's override file (`calendar.overridesFile`), read by loadConfig; null: none. */
  calendarFile: z.object({ path: z.string(), content: calendarFileSchema }).nullable(),
  env: envSchema,
});

type Sources = z.output<typeof sourcesSchema>;

export const configSchema = sourcesSchema.transform((sources, ctx) => {
  const webhooks = resolveWebhookTargets(sources.env, sources.file, sources.configPath);
  if (!webhooks.ok) return refuse(ctx, webhooks.problem);
  const routingProblem = channelRoutingProblem(sources.env, sources.file, sources.configPath);
  if (routingProblem !== undefined) return refuse(ctx, routingProblem);
  const store = parseStoreLocation(sources.env.CM_DB, sources.cwd);
  const storeProblem = storeLocationProblem(store);
  if (storeProblem !== undefined) return refuse(ctx, `CM_DB=(hidden) is invalid: ${storeProblem}`);
  return {
    /** CM_DB: a SQLite file (absolute path; default ./data/credit-monitor.db) or a PostgreSQL URL. */
    store,
    /**
     * Where local state beside the store lives (the embedded Redis): the SQLite file's directory, or
     * ./data on PostgreSQL.
     */
    dataDir: store.dialect === 'sqlite' ? dirname(store.path) : resolve(sources.cwd, 'data'),
    ...processConfig(sources),
    ...policyConfig(sources.env, sources.file),
    ...caseConfig(sources),
    /** Every webhook target with its secret: "default" from CM_WEBHOOK_URL, the others from `routing.webhooks`. */
    webhookTargets: webhooks.targets,
  };
});

/** The validated configuration, frozen by `loadConfig`. */
export type Config = z.output<typeof configSchema>;

/** Where the daemon keeps its state and how it runs. */
function processConfig({ configPath, env, file }: Sources) {
  return {
    /** REDIS_URL; undefined means "use a local or embedded redis-server". */
    redisUrl: env.REDIS_URL,
    /** CM_CONFIG: the policy file that was read, absolute. Default config/default.json. */
    configPath,
    /** CM_QUEUE_PREFIX: BullMQ key prefix. Default "credit-monitor". */
    queuePrefix: env.CM_QUEUE_PREFIX,
    /** CM_SCAN_INTERVAL in ms, unless CM_SCAN_CRON is set. Default 24h. */
    scanIntervalMs: env.CM_SCAN_INTERVAL,
    /** CM_SCAN_CRON (5 or 6 fields), evaluated in Asia/Shanghai; undefined: the interval applies. */
    scanCron: env.CM_SCAN_CRON,
    /** The provider checks ask (CM_PROVIDER and its variables, `provider.*` in the file). */
    provider: providerConfig(env, file),
    /** CM_HTTP_PORT: health and metrics; 0 turns it off. Default 9464. */
    httpPort: env.CM_HTTP_PORT,
    /**
     * CM_HTTP_HOST: the address the health and metrics server binds. Default `127.0.0.1` (metrics
     * name customers' failures and the queues: not for the whole network); `0.0.0.0` in a container.
     */
    httpHost: env.CM_HTTP_HOST,
    /** CM_API_PORT: `serve`'s API and console (0: any free port). Default 8080. */
    apiPort: env.CM_API_PORT,
    /** CM_API_HOST: the address `serve` binds. Default `127.0.0.1`; `0.0.0.0` behind a proxy or in a container. */
    apiHost: env.CM_API_HOST,
    /** CM_RATE_LIMIT_PAUSE in ms: pause after a rate limit without advised wait. Default 10s. */
    rateLimitPauseMs: env.CM_RATE_LIMIT_PAUSE,
    /** CM_SHUTDOWN_GRACE in ms: how long a graceful shutdown may take before it is forced. Default 25s. */
    shutdownGraceMs: env.CM_SHUTDOWN_GRACE,
    /** `scan.concurrency`: scan jobs processed at once by one worker. Default 8. */
    scanConcurrency: file.scan.concurrency,
    /** LOG_LEVEL: pino's level. Default info. */
    logLevel: env.LOG_LEVEL,
    /** PATH, the operating system's search list: where redis-server is looked for. Default empty. */
    searchPath: env.PATH ?? '',
  };
}

/** Cases, their working-day deadlines, and the listing clock. */
function caseConfig({ file, calendarFile }: Sources) {
  return {
    cases: {
      /** `cases.openAt`: the least severe tier whose events open or join a case (null: none). Default medium. */
      openAt: file.cases.openAt,
      /** `cases.deadlines.<tier>`: acknowledgeDays / resolveDays, in working days. Defaults: domain/case-deadlines.ts. */
      deadlines: file.cases.deadlines,
    },
    clocks: {
      /** `clocks.escalationWarningDays`: days before the third anniversary of a listing that escalation_due is raised. Default 60. */
      escalationWarningDays: file.clocks.escalationWarningDays,
    },
    calendar: {
      /** The override file that was read (absolute), or null when there is none. */
      overridesFile: calendarFile?.path ?? null,
      /** Its years, holidays and workdays, laid over chinese-days (calendar/chinese-days-calendar.ts). */
      overrides: calendarFile?.content ?? NO_CALENDAR_DAYS,
    },
  };
}

/** What is watched, how events are tiered, and who hears of them. */
function policyConfig(env: Env, file: PolicyFile) {
  return {
    /** CM_DEGRADED_AFTER: consecutive checks with a failed section before monitoring.degraded. Default 3. */
    degradedAfter: env.CM_DEGRADED_AFTER,
    /** `language`: the language of e-mails. Default zh-CN. */
    language: file.language,
    /** `tiers.overrides`: the tier of an event type, where it differs from DESIGN's table. Default none. */
    tiers: file.tiers,
    /** The e-mail channel and its recipients. */
    mail: {
      /** CM_SMTP_URL: smtp:// (STARTTLS required unless `?starttls=`) or smtps://; undefined: no e-mail channel. */
      smtpUrl: env.CM_SMTP_URL,
      /** CM_MAIL_FROM: the From address, e.g. "信用监控 <credit@example.com>"; set exactly when CM_SMTP_URL is. */
      from: env.CM_MAIL_FROM,
      /** CM_MAIL_TO: recipients of every mailed event (comma-separated). Default none. */
      to: env.CM_MAIL_TO,
    },
    /** Who receives which events, beyond CM_MAIL_TO and the webhook targets. */
    routing: {
      /** `routing.email`: tiers mailed at once (default critical, high) and in the daily digest (default medium, low, info). */
      email: file.routing.email,
      /** `routing.tags`: extra e-mail recipients per customer tag. Default none. */
      tagRecipients: Object.fromEntries(Object.entries(file.routing.tags).map(([tag, route]) => [tag, route.email])),
    },
    /**
     * `grading`: the ordered grading rules; the first whose conditions all hold decides, the last
     * (with an empty `when`) is the fallback. Checked at load: a bad rule stops the process naming it.
     * Default: the seed article's rules (domain/default-grading.ts, also in config/default.json).
     */
    grading: file.grading,
    /**
     * `strategy.<grade>`: payment term (days), settlement, deposit (percent) and new orders for each
     * grade, unrated included; a key left out keeps the grade's default (domain/strategy.ts).
     */
    strategy: file.strategy,
    /**
     * `schedule.byGrade`: the check interval in ms of each grade named; a grade left out follows
     * CM_SCAN_INTERVAL / CM_SCAN_CRON. Default risk 1h, good 2d, excellent 7d.
     */
    scheduleByGradeMs: file.schedule.byGrade,
    /** `digest.time`: the daily digest's time, HH:MM in Asia/Shanghai. Default 09:00. */
    digestTime: file.digest.time,
    /** `escalation`: re-notification of unacknowledged events. */
    escalation: {
      /** Tiers re-notified. Default critical, high. */
      tiers: file.escalation.tiers,
      /** Wait before each round, in ms. Default 240 minutes. */
      afterMs: file.escalation.afterMinutes * 60_000,
      /** Rounds at most; 0: off. Default 3. */
      maxTimes: file.escalation.maxTimes,
      /** Recipients. Default none. */
      to: file.escalation.to,
    },
  };
}
