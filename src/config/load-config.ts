/**
 * The only reader of process.env: the policy file's schema and every fixed variable, validated into
 * one frozen object. Longer than our 300-line guide because the whole contract is kept in one place.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../app/errors.js';
import { EVENT_TYPES, TIERS } from '../domain/events.js';
import type { OptionalSections } from '../domain/sections.js';
import { checkChannelRouting, checkMailFrom, checkSmtpUrl, checkWebhookSecret } from './check-channels.js';
import { parseDuration } from './duration.js';
import { createNextCheckAt } from './next-check.js';

const tier = z.enum(TIERS);

/** Optional sections switched on or off; a key left out keeps the level above it. */
const sectionSwitches = z
  .object({ administrativePenalties: z.boolean().optional(), dishonestDebtors: z.boolean().optional() })
  .strict();

/**
 * `provider.sections`: the optional sections, off by default since each costs calls on every check.
 * The flat keys apply to every provider; a block named after a provider overrides them for it, so
 * that a switch of provider (whose prices differ) does not silently change what is watched.
 */
const sectionsSchema = sectionSwitches
  .extend({ mock: sectionSwitches.optional(), tianyancha: sectionSwitches.optional(), qichacha: sectionSwitches.optional() })
  .strict()
  .default({});

/** What `config/default.json` (or `CM_CONFIG`) may hold: policy and routing, never secrets. */
const fileSchema = z
  .object({
    tiers: z
      .object({ overrides: z.partialRecord(z.enum(EVENT_TYPES), tier).default({}) })
      .strict()
      .default({ overrides: {} }),
    routing: z
      .object({
        email: z
          .object({
            immediateTiers: z.array(tier).default(['critical', 'high']),
            digestTiers: z.array(tier).default(['medium', 'low', 'info']),
          })
          .strict()
          .default({ immediateTiers: ['critical', 'high'], digestTiers: ['medium', 'low', 'info'] }),
        /** Webhook targets beside CM_WEBHOOK_URL ("default"); each secret comes from the named variable. */
        webhooks: z
          .array(
            z
              .object({
                name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
                url: z.url({ protocol: /^https?$/, error: 'expected an http: or https: URL' }),
                secretEnv: z.string().regex(/^[A-Z0-9_]+$/),
              })
              .strict(),
          )
          .default([]),
        /** Extra e-mail recipients per customer tag (department, region), same tiers as email. */
        tags: z.record(z.string().min(1), z.object({ email: z.array(z.email()) }).strict()).default({}),
      })
      .strict()
      .default({ email: { immediateTiers: ['critical', 'high'], digestTiers: ['medium', 'low', 'info'] }, webhooks: [], tags: {} }),
    digest: z
      .object({ time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM').default('09:00') })
      .strict()
      .default({ time: '09:00' }),
    escalation: z
      .object({
        tiers: z.array(tier).default(['critical', 'high']),
        afterMinutes: z.number().int().min(1).default(240),
        maxTimes: z.number().int().min(0).max(100).default(3),
        to: z.array(z.email()).default([]),
      })
      .strict()
      .default({ tiers: ['critical', 'high'], afterMinutes: 240, maxTimes: 3, to: [] }),
    provider: z
      .object({
        timeoutMs: z.number().int().positive().default(10_000),
        maxBodyBytes: z.number().int().positive().default(2 * 1024 * 1024),
        /** Provider calls allowed per Asia/Shanghai day across the fleet; null: unlimited. */
        dailyCallBudget: z.number().int().positive().nullable().default(null),
        sections: sectionsSchema,
      })
      .strict()
      .default({ timeoutMs: 10_000, maxBodyBytes: 2 * 1024 * 1024, dailyCallBudget: null, sections: {} }),
    scan: z
      .object({ concurrency: z.number().int().min(1).max(256).default(8) })
      .strict()
      .default({ concurrency: 8 }),
    language: z.enum(['zh-CN', 'en']).default('zh-CN'),
  })
  .strict();

export const PROVIDER_KINDS = ['mock', 'tianyancha', 'qichacha'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export interface Config {
  /** REDIS_URL; undefined means "use a local or embedded redis-server". */
  redisUrl: string | undefined;
  /** CM_DB: SQLite file. Default ./data/credit-monitor.db. */
  dbPath: string;
  /** CM_CONFIG: the policy file that was read. */
  configPath: string;
  /** CM_QUEUE_PREFIX: BullMQ key prefix. Default "credit-monitor". */
  queuePrefix: string;
  /** CM_SCAN_INTERVAL in ms (default 24h), unless CM_SCAN_CRON is set. */
  scanIntervalMs: number;
  /** CM_SCAN_CRON, evaluated in Asia/Shanghai. */
  scanCron: string | undefined;
  provider: {
    /** CM_PROVIDER; unset means the built-in mock provider on the sample portfolio. */
    kind: ProviderKind;
    /** True when CM_PROVIDER was not set. */
    implicit: boolean;
    /** CM_PROVIDER_URL: origin (+ optional path prefix). */
    url: string | undefined;
    /** CM_PROVIDER_RATE: max requests per second across all workers (and `check`), evenly paced; above 0, at most 10000. Default 5. */
    ratePerSecond: number;
    tianyanchaToken: string | undefined;
    qichachaKey: string | undefined;
    qichachaSecret: string | undefined;
    /** Per-request timeout in ms. Default 10000. */
    timeoutMs: number;
    /** Largest accepted response body in bytes. Default 2 MiB. */
    maxBodyBytes: number;
    /**
     * `provider.dailyCallBudget`: provider calls (HTTP requests) per Asia/Shanghai day across every
     * worker; once spent, scheduled checks and fan-out re-scans wait for the next day (a single-customer
     * re-scan and a `rescan --force` still run).
     * Default null: unlimited.
     */
    dailyCallBudget: number | null;
    /**
     * `provider.sections`, resolved for this provider: which optional sections (行政处罚,
     * 失信被执行人) every check also reads. Default: none (each costs at least one call per check).
     */
    sections: OptionalSections;
  };
  webhook: { url: string | undefined; secret: string | undefined };
  mail: { smtpUrl: string | undefined; from: string | undefined; to: string[] };
  /** CM_HTTP_PORT: health and metrics; 0 turns it off. Default 9464. */
  httpPort: number;
  /**
   * CM_HTTP_HOST: the address the health and metrics server binds. Default `127.0.0.1` (metrics
   * name customers' failures and the queues: not for the whole network); `0.0.0.0` in a container.
   */
  httpHost: string;
  /** CM_DEGRADED_AFTER: consecutive checks with a failed section before monitoring.degraded. Default 3. */
  degradedAfter: number;
  /** CM_RATE_LIMIT_PAUSE in ms: pause after a rate limit without advised wait. Default 10s. */
  rateLimitPauseMs: number;
  /** CM_SHUTDOWN_GRACE in ms. Default 25s. */
  shutdownGraceMs: number;
  /** Scan jobs processed at once by one worker. */
  scanConcurrency: number;
  /** LOG_LEVEL. Default info. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  language: 'zh-CN' | 'en';
  tiers: { overrides: Partial<Record<(typeof EVENT_TYPES)[number], (typeof TIERS)[number]>> };
  routing: {
    email: { immediateTiers: (typeof TIERS)[number][]; digestTiers: (typeof TIERS)[number][] };
    /** Extra e-mail recipients per customer tag. */
    tagRecipients: Record<string, string[]>;
  };
  /** Every webhook target with its secret: "default" from CM_WEBHOOK_URL, others from the policy file. */
  webhookTargets: Array<{ name: string; url: string; secret: string }>;
  /** Daily digest time, HH:MM in Asia/Shanghai. Default 09:00. */
  digestTime: string;
  /** Re-notification of unacknowledged events. */
  escalation: { tiers: (typeof TIERS)[number][]; afterMs: number; maxTimes: number; to: string[] };
}

type Env = Readonly<Record<string, string | undefined>>;

/** The provider's own block wins over the flat keys, which win over the default (off). */
function resolveSections(sections: z.infer<typeof sectionsSchema>, kind: ProviderKind): OptionalSections {
  const own = sections[kind] ?? {};
  return Object.freeze({
    administrativePenalties: own.administrativePenalties ?? sections.administrativePenalties ?? false,
    dishonestDebtors: own.dishonestDebtors ?? sections.dishonestDebtors ?? false,
  });
}

function invalid(key: string, value: string, why: string): AppError {
  return new AppError('CONFIG_INVALID', `${key}=${JSON.stringify(value)} is invalid: ${why}`);
}

function durationVar(env: Env, key: string, fallback: string): number {
  const raw = env[key] ?? fallback;
  const ms = parseDuration(raw);
  if (ms === undefined) throw invalid(key, raw, 'expected <number><s|m|h|d>, e.g. 90s, 15m, 6h, 1d');
  return ms;
}

function intVar(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(key, raw, `expected an integer from ${min} to ${max}`);
  return n;
}

/** An IP address (v4 or v6) or a host name to bind. */
function hostVar(env: Env, key: string, fallback: string): string {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const host = raw.trim();
  if (isIP(host) === 0 && !/^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(host)) {
    throw invalid(key, raw, 'expected an IP address (127.0.0.1, 0.0.0.0, ::) or a host name');
  }
  return host;
}

function urlVar(env: Env, key: string, protocols: string[], secret = false): string | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  const shown = secret ? '(hidden)' : raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('CONFIG_INVALID', `${key}=${shown} is invalid: not a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new AppError('CONFIG_INVALID', `${key}=${shown} is invalid: expected ${protocols.join(' or ')} URL`);
  }
  return raw;
}

function readPolicyFile(path: string): z.infer<typeof fileSchema> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `CM_CONFIG ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `CM_CONFIG ${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') ?? '';
    throw new AppError('CONFIG_INVALID', `CM_CONFIG ${path}: key "${key}" is invalid: ${issue?.message ?? 'unknown'}`);
  }
  return parsed.data;
}

/** The highest CM_PROVIDER_RATE accepted, in requests per second (no provider allows more). */
const MAX_PROVIDER_RATE = 10_000;

/** Reads config/*.json and the environment into one frozen object; throws CONFIG_INVALID naming the key. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Readonly<Config> {
  const configPath = resolve(cwd, env.CM_CONFIG ?? 'config/default.json');
  const file = readPolicyFile(configPath);

  const providerRaw = env.CM_PROVIDER;
  if (providerRaw !== undefined && providerRaw !== '' && !(PROVIDER_KINDS as readonly string[]).includes(providerRaw)) {
    throw invalid('CM_PROVIDER', providerRaw, `expected one of ${PROVIDER_KINDS.join(', ')}`);
  }
  const kind = (providerRaw || 'mock') as ProviderKind;
  const rateRaw = env.CM_PROVIDER_RATE;
  const ratePerSecond = rateRaw === undefined || rateRaw === '' ? 5 : Number(rateRaw);
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0 || ratePerSecond > MAX_PROVIDER_RATE) {
    throw invalid('CM_PROVIDER_RATE', rateRaw ?? '', `expected requests per second, a number above 0 and at most ${MAX_PROVIDER_RATE} (e.g. 5 or 0.5)`);
  }
  const cron = env.CM_SCAN_CRON?.trim();
  if (cron && cron.split(/\s+/).length !== 5 && cron.split(/\s+/).length !== 6) {
    throw invalid('CM_SCAN_CRON', cron, 'expected a cron expression with 5 or 6 fields');
  }
  const secret = env.CM_WEBHOOK_SECRET;
  if (secret !== undefined && secret !== '') checkWebhookSecret('CM_WEBHOOK_SECRET', secret);
  const mailTo = (env.CM_MAIL_TO ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const address of mailTo) {
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw invalid('CM_MAIL_TO', address, 'not an e-mail address');
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  if (!(levels as readonly string[]).includes(logLevel)) throw invalid('LOG_LEVEL', logLevel, `expected one of ${levels.join(', ')}`);

  const config: Config = {
    redisUrl: urlVar(env, 'REDIS_URL', ['redis:', 'rediss:'], true),
    dbPath: resolve(cwd, env.CM_DB || './data/credit-monitor.db'),
    configPath,
    queuePrefix: validPrefix(env.CM_QUEUE_PREFIX ?? 'credit-monitor'),
    scanIntervalMs: durationVar(env, 'CM_SCAN_INTERVAL', '24h'),
    scanCron: cron || undefined,
    provider: {
      kind,
      implicit: !providerRaw,
      url: urlVar(env, 'CM_PROVIDER_URL', ['http:', 'https:']),
      ratePerSecond,
      tianyanchaToken: env.CM_TIANYANCHA_TOKEN || undefined,
      qichachaKey: env.CM_QICHACHA_KEY || undefined,
      qichachaSecret: env.CM_QICHACHA_SECRET || undefined,
      timeoutMs: file.provider.timeoutMs,
      maxBodyBytes: file.provider.maxBodyBytes,
      dailyCallBudget: file.provider.dailyCallBudget,
      sections: resolveSections(file.provider.sections, kind),
    },
    webhook: { url: urlVar(env, 'CM_WEBHOOK_URL', ['http:', 'https:'], true), secret: secret || undefined },
    mail: { smtpUrl: urlVar(env, 'CM_SMTP_URL', ['smtp:', 'smtps:'], true), from: env.CM_MAIL_FROM || undefined, to: mailTo },
    httpPort: intVar(env, 'CM_HTTP_PORT', 9464, 0, 65_535),
    httpHost: hostVar(env, 'CM_HTTP_HOST', '127.0.0.1'),
    degradedAfter: intVar(env, 'CM_DEGRADED_AFTER', 3, 1, 1000),
    rateLimitPauseMs: durationVar(env, 'CM_RATE_LIMIT_PAUSE', '10s'),
    shutdownGraceMs: durationVar(env, 'CM_SHUTDOWN_GRACE', '25s'),
    scanConcurrency: file.scan.concurrency,
    logLevel: logLevel as Config['logLevel'],
    language: file.language,
    tiers: file.tiers,
    routing: {
      email: file.routing.email,
      tagRecipients: Object.fromEntries(Object.entries(file.routing.tags).map(([tag, r]) => [tag, r.email])),
    },
    webhookTargets: webhookTargets(env, file.routing.webhooks),
    digestTime: file.digest.time,
    escalation: {
      tiers: file.escalation.tiers,
      afterMs: file.escalation.afterMinutes * 60_000,
      maxTimes: file.escalation.maxTimes,
      to: file.escalation.to,
    },
  };
  createNextCheckAt({ intervalMs: config.scanIntervalMs, cron: config.scanCron }); // validates CM_SCAN_CRON
  if (kind === 'tianyancha' && !config.provider.tianyanchaToken) {
    throw new AppError('CONFIG_INVALID', 'CM_TIANYANCHA_TOKEN is required when CM_PROVIDER=tianyancha');
  }
  if (kind === 'qichacha' && (!config.provider.qichachaKey || !config.provider.qichachaSecret)) {
    throw new AppError('CONFIG_INVALID', 'CM_QICHACHA_KEY and CM_QICHACHA_SECRET are required when CM_PROVIDER=qichacha');
  }
  checkSmtpUrl(config.mail.smtpUrl);
  checkMailFrom(config.mail.from);
  checkChannelRouting(
    env,
    {
      configPath,
      to: config.mail.to,
      tiersMailed: config.routing.email.immediateTiers.length + config.routing.email.digestTiers.length > 0,
      tagRecipients: config.routing.tagRecipients,
      escalation: config.escalation,
    },
    file.routing.webhooks.map((target) => target.secretEnv),
  );
  return Object.freeze(config);
}

function validPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
    throw invalid('CM_QUEUE_PREFIX', prefix, 'use 1-64 letters, digits, "_", ".", ":" or "-"');
  }
  return prefix;
}

function webhookTargets(env: Env, extra: Array<{ name: string; url: string; secretEnv: string }>): Config['webhookTargets'] {
  const targets: Config['webhookTargets'] = [];
  const url = env.CM_WEBHOOK_URL;
  if (url) {
    // An unsigned webhook cannot be trusted by its receiver: refuse rather than send it unsigned.
    if (!env.CM_WEBHOOK_SECRET) throw new AppError('CONFIG_INVALID', 'CM_WEBHOOK_SECRET is required when CM_WEBHOOK_URL is set');
    targets.push({ name: 'default', url, secret: env.CM_WEBHOOK_SECRET });
  }
  for (const target of extra) {
    if (targets.some((t) => t.name === target.name)) {
      throw new AppError('CONFIG_INVALID', `CM_CONFIG: key "routing.webhooks" is invalid: target name "${target.name}" is used twice`);
    }
    const secret = env[target.secretEnv];
    if (!secret) throw new AppError('CONFIG_INVALID', `${target.secretEnv} is required for webhook target "${target.name}"`);
    checkWebhookSecret(target.secretEnv, secret);
    targets.push({ name: target.name, url: target.url, secret });
  }
  return targets;
}
