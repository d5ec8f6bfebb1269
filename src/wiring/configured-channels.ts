import type { Config } from '../config/load-config.js';

/**
 * The outbox channels a worker with this configuration sends (the digest's `email_digest` included),
 * as `openChannels` opens them. Rows on any other channel wait for a configuration that has it.
 */
export function configuredChannels(config: Config): string[] {
  const email = config.mail.smtpUrl !== undefined && config.mail.from !== undefined;
  return ['log', ...(config.webhookTargets.length > 0 ? ['webhook'] : []), ...(email ? ['email', 'email_digest', 'escalation'] : [])];
}
