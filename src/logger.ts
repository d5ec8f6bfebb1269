import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear: secrets must never reach a log line. */
export const REDACT_PATHS = [
  'token',
  'secret',
  'password',
  'authorization',
  '*.token',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'config.provider.credentials',
  'config.webhookTargets[*].secret',
  'config.webhookTargets[*].url',
  'config.mail.smtpUrl',
  'config.redisUrl',
];

/** JSON logs on stderr, so that stdout stays free for `--json` output. */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    { level, base: { service: 'credit-monitor' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination,
  );
}
