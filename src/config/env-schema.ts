/**
 * The fixed environment variables (DESIGN "Configuration"), each with its rule and its default, as
 * one zod schema: a union over `CM_PROVIDER` in which each provider requires exactly its
 * credentials. Adapter options are read by the adapters' own parsers here, at load time, so that a
 * bad value stops the process before anything opens. (`CM_CONFIG` is read first, to find the file.)
 */
import { z } from 'zod';
import { isMailFrom } from '../notify/email-channel.js';
import { parseSmtpUrl } from '../notify/smtp-transport.js';
import { webhookSigner } from '../notify/webhook-signer.js';
import {
  addresses,
  checkedText,
  durationMs,
  envShape,
  host,
  integer,
  invalid,
  matching,
  oneOf,
  optionalText,
  positiveNumber,
  refuse,
  requiredText,
  textOr,
  url,
} from './env-var.js';
import { parseScanCron } from './next-check.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The highest CM_PROVIDER_RATE accepted, in requests per second (no provider allows more). */
const MAX_PROVIDER_RATE = 10_000;

/** The line for a webhook secret that cannot sign; it never quotes the value. */
export function badWebhookSecret(key: string): string {
  return `${key} is invalid: expected whsec_ followed by base64 (value hidden)`;
}

/** CM_SCAN_CRON, trimmed; unset or blank: undefined (the interval applies). */
const scanCron = () => (key: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim();
      if (text === undefined || text === '') return undefined;
      const parsed = parseScanCron(text);
      return parsed.ok ? parsed.cron : refuse(ctx, invalid(key, text, parsed.reason));
    });

const COMMON_VARS = envShape({
  REDIS_URL: url(['redis:', 'rediss:'], { hidden: true }),
  CM_DB: textOr('./data/credit-monitor.db'),
  CM_QUEUE_PREFIX: matching('credit-monitor', /^[A-Za-z0-9_.:-]{1,64}$/, 'use 1-64 letters, digits, "_", ".", ":" or "-"'),
  CM_SCAN_INTERVAL: durationMs('24h'),
  CM_SCAN_CRON: scanCron(),
  CM_PROVIDER_URL: url(['http:', 'https:']),
  CM_PROVIDER_RATE: positiveNumber(5, MAX_PROVIDER_RATE, `expected requests per second, a number above 0 and at most ${MAX_PROVIDER_RATE} (e.g. 5 or 0.5)`),
  CM_WEBHOOK_URL: url(['http:', 'https:'], { hidden: true }),
  CM_WEBHOOK_SECRET: checkedText((key, secret) => (webhookSigner(secret) ? undefined : badWebhookSecret(key))),
  // The adapter's reasons already name CM_SMTP_URL, and never quote the URL (it may carry the password).
  CM_SMTP_URL: checkedText((_key, smtpUrl) => {
    const parsed = parseSmtpUrl(smtpUrl);
    return parsed.ok ? undefined : parsed.reason;
  }),
  CM_MAIL_FROM: checkedText((key, from) =>
    isMailFrom(from) ? undefined : invalid(key, from, 'expected an address, e.g. "信用监控 <credit@example.com>"'),
  ),
  CM_MAIL_TO: addresses(),
  CM_HTTP_PORT: integer(9464, 0, 65_535),
  CM_HTTP_HOST: host('127.0.0.1'),
  CM_API_PORT: integer(8080, 0, 65_535),
  CM_API_HOST: host('127.0.0.1'),
  /** The console's public origin, for links in messages (e.g. https://credit.example.com). */
  CM_CONSOLE_URL: url(['http:', 'https:']),
  /** The key(s) that encrypt personal data at rest (DESIGN "Personal information"); parsed by the store. */
  CM_DATA_KEY: checkedText(() => undefined),
  CM_DEGRADED_AFTER: integer(3, 1, 1000),
  CM_RATE_LIMIT_PAUSE: durationMs('10s'),
  CM_SHUTDOWN_GRACE: durationMs('25s'),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  /** Not a setting: the operating system's search list, for redis-server. */
  PATH: optionalText(),
});

/**
 * The variables, one variant per provider (CM_PROVIDER: mock, tianyancha or qichacha). Loose
 * objects: a `routing.webhooks` target names the variable its secret is in, so variables outside
 * the fixed list are kept for the cross-checks.
 */
export const envSchema = z.discriminatedUnion(
  'CM_PROVIDER',
  [
    // Unset or empty: the built-in mock provider (the demo).
    z.looseObject({ ...COMMON_VARS, CM_PROVIDER: z.literal(['mock', '']).optional() }),
    z.looseObject({
      ...COMMON_VARS,
      CM_PROVIDER: z.literal('tianyancha'),
      ...envShape({ CM_TIANYANCHA_TOKEN: requiredText('CM_PROVIDER=tianyancha') }),
    }),
    z.looseObject({
      ...COMMON_VARS,
      CM_PROVIDER: z.literal('qichacha'),
      ...envShape({ CM_QICHACHA_KEY: requiredText('CM_PROVIDER=qichacha'), CM_QICHACHA_SECRET: requiredText('CM_PROVIDER=qichacha') }),
    }),
  ],
  {
    error: (issue) => {
      const value = (issue.input as Record<string, unknown>)['CM_PROVIDER'];
      // The discriminator values the variants accept: the kinds, and '' and undefined for mock.
      const options = (issue as { options?: readonly unknown[] }).options ?? [];
      const kinds = options.filter((kind) => typeof kind === 'string' && kind !== '');
      return invalid('CM_PROVIDER', String(value), `expected one of ${kinds.join(', ')}`);
    },
  },
);

export type Env = z.output<typeof envSchema>;

/** The provider kinds the union accepts. */
export type ProviderKind = Exclude<Env['CM_PROVIDER'], '' | undefined>;
