/**
 * What `config/default.json` (or the file in `CM_CONFIG`) may hold: tier policy, routing and provider
 * limits, never secrets. Every key is optional; each default is written here once (`prefault` runs a
 * missing block through its own schema, so the defaults inside it apply).
 */
import { z } from 'zod';
import { DEFAULT_GRADING_RULES } from '../domain/default-grading.js';
import { EVENT_TYPES, TIERS } from '../domain/events.js';
import { gradingRulesSchema } from '../domain/grading-rules.js';
import { DEFAULT_DIGEST_TIERS, DEFAULT_IMMEDIATE_TIERS, URGENT_TIERS } from '../domain/routing.js';
import { strategiesSchema } from '../domain/strategy.js';
import { EMAIL_LANGUAGES } from '../notify/templates/language.js';
import { calendarSchema, casesSchema, clocksSchema } from './cases-schema.js';
import { scheduleSchema } from './schedule-schema.js';

const tier = z.enum(TIERS);

/** Optional sections switched on or off; a key left out keeps the level above it. */
const sectionSwitches = z
  .object({
    administrativePenalties: z.boolean().optional(),
    dishonestDebtors: z.boolean().optional(),
    /** 年度报告: one more call per customer a year, at its first check from 1 July. */
    annualReports: z.boolean().optional(),
  })
  .strict();

/**
 * `provider.sections`: the optional sections, off by default since each costs calls (penalties and
 * dishonest debtors on every check, annual reports once per customer a year).
 * The flat keys apply to every provider; a block named after a provider overrides them for it, so
 * that a switch of provider (whose prices differ) does not silently change what is watched.
 */
const sectionsSchema = sectionSwitches
  .extend({ mock: sectionSwitches.optional(), tianyancha: sectionSwitches.optional(), qichacha: sectionSwitches.optional() })
  .strict()
  .prefault({});

export type SectionsPolicy = z.output<typeof sectionsSchema>;

/** A webhook receiver beside CM_WEBHOOK_URL ("default"); its secret comes from the named variable. */
const webhookTargetSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    url: z.url({ protocol: /^https?$/, error: 'expected an http: or https: URL' }),
    secretEnv: z.string().regex(/^[A-Z0-9_]+$/),
  })
  .strict();

const routingSchema = z
  .object({
    email: z
      .object({
        /** Tiers mailed at once. Default critical, high. */
        immediateTiers: z.array(tier).default(() => [...DEFAULT_IMMEDIATE_TIERS]),
        /** Tiers collected into the daily digest. Default medium, low, info. */
        digestTiers: z.array(tier).default(() => [...DEFAULT_DIGEST_TIERS]),
      })
      .strict()
      .prefault({}),
    /** Webhook targets beside CM_WEBHOOK_URL. Default none. */
    webhooks: z.array(webhookTargetSchema).default(() => []),
    /** Extra e-mail recipients per customer tag (department, region), same tiers as email. Default none. */
    tags: z.record(z.string().min(1), z.object({ email: z.array(z.email()) }).strict()).default(() => ({})),
  })
  .strict()
  .prefault({});

const escalationSchema = z
  .object({
    /** Tiers re-notified while unacknowledged. Default critical, high. */
    tiers: z.array(tier).default(() => [...URGENT_TIERS]),
    /** Minutes after an event (and between rounds) before it is re-notified. Default 240. */
    afterMinutes: z.number().int().min(1).default(240),
    /** Rounds of re-notification at most; 0 turns escalation off. Default 3. */
    maxTimes: z.number().int().min(0).max(100).default(3),
    /** Who is re-notified. Default nobody. */
    to: z.array(z.email()).default(() => []),
  })
  .strict()
  .prefault({});

const providerLimitsSchema = z
  .object({
    /** Per-request timeout in ms. Default 10000. */
    timeoutMs: z.number().int().positive().default(10_000),
    /** Largest accepted response body in bytes. Default 2 MiB. */
    maxBodyBytes: z.number().int().positive().default(2 * 1024 * 1024),
    /** Provider calls allowed per Asia/Shanghai day across the fleet; null: unlimited. Default null. */
    dailyCallBudget: z.number().int().positive().nullable().default(null),
    sections: sectionsSchema,
  })
  .strict()
  .prefault({});

export const policyFileSchema = z
  .object({
    /** Tier overrides per event type. Default none (DESIGN's table). */
    tiers: z
      .object({ overrides: z.partialRecord(z.enum(EVENT_TYPES), tier).default(() => ({})) })
      .strict()
      .prefault({}),
    routing: routingSchema,
    /** The daily digest's time, HH:MM in Asia/Shanghai. Default 09:00. */
    digest: z
      .object({ time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM').default('09:00') })
      .strict()
      .prefault({}),
    escalation: escalationSchema,
    provider: providerLimitsSchema,
    /** Scan jobs processed at once by one worker. Default 8. */
    scan: z
      .object({ concurrency: z.number().int().min(1).max(256).default(8) })
      .strict()
      .prefault({}),
    /** The language of e-mails. Default zh-CN. */
    language: z.enum(EMAIL_LANGUAGES).default('zh-CN'),
    /** Ordered grading rules (domain/grading-rules.ts); the first that matches decides. Default: domain/default-grading.ts. */
    grading: gradingRulesSchema(() => structuredClone([...DEFAULT_GRADING_RULES])),
    /** The trading strategy of each grade. Default: domain/strategy.ts. */
    strategy: strategiesSchema,
    /** Check intervals per grade. */
    schedule: scheduleSchema,
    /** When events open a case, and the case deadlines per tier (working days). */
    cases: casesSchema,
    /** Listing clocks: how early escalation_due warns. */
    clocks: clocksSchema,
    /** The working-day calendar's override file. */
    calendar: calendarSchema,
  })
  .strict();

export type PolicyFile = z.output<typeof policyFileSchema>;
