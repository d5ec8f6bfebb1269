/** The delivery channels the configuration asks for (webhook, e-mail, escalation, digest; log as the fallback). */
import type { Config } from '../config/load-config.js';
import type { Channel } from '../notify/channel.js';
import { createDigestSender, type DigestSender } from '../notify/digest-sender.js';
import { createEmailChannel } from '../notify/email-channel.js';
import { createEscalationChannel } from '../notify/escalation-channel.js';
import { createLogChannel } from '../notify/log-channel.js';
import { createSmtpTransport } from '../notify/smtp-transport.js';
import { createWebhookChannel } from '../notify/webhook-channel.js';
import type { Releasers } from '../lifecycle/releasers.js';
import type { Logger } from '../logger.js';
import type { Store } from './open-store.js';
import { configuredChannels } from './configured-channels.js';

export { configuredChannels };

export interface Channels {
  channels: ReadonlyMap<string, Channel>;
  /** Sends one digest e-mail; undefined when no SMTP is configured. */
  sendDigest: DigestSender | undefined;
}

/** Opens the configured channels; the log channel stands in when none is. */
export function openChannels(config: Config, parts: { logger: Logger; clock: () => number }, releasers: Releasers): Channels {
  const channels = new Map<string, Channel>([['log', createLogChannel(parts.logger, { language: config.language })]]);
  if (config.webhookTargets.length > 0) {
    const webhook = createWebhookChannel({ targets: config.webhookTargets, clock: parts.clock });
    releasers.push('webhook channel', () => webhook.close());
    channels.set(webhook.name, webhook);
  }
  let sendDigest: DigestSender | undefined;
  if (config.mail.smtpUrl && config.mail.from) {
    const transport = createSmtpTransport(config.mail.smtpUrl);
    releasers.push('smtp transport', () => { transport.close(); });
    const email = createEmailChannel({ transport, from: config.mail.from, language: config.language });
    channels.set(email.name, email);
    channels.set('escalation', createEscalationChannel(email));
    sendDigest = createDigestSender({ transport, from: config.mail.from, language: config.language });
  }
  return { channels, sendDigest };
}

/** Says at start which outbox rows wait on a channel this configuration does not have. */
export async function warnUnconfiguredChannels(config: Config, store: Store, logger: Logger): Promise<void> {
  const configured = configuredChannels(config);
  for (const { channel, pending } of await store.repos.deliveries.pendingByChannel()) {
    if (!configured.includes(channel)) {
      logger.warn({ channel, pending }, `${pending} pending deliveries on channel ${channel}, which is not configured: they wait until it is`);
    }
  }
}
