import type { Logger } from '../logger.js';
import type { Channel } from './channel.js';

/** Writes each event as one JSON log line: the channel used until webhook or email is configured. */
export function createLogChannel(logger: Logger): Channel {
  return {
    name: 'log',
    send({ deliveryId, message }) {
      logger.info({ deliveryId, event: message }, `${message.tier} ${message.type} ${message.customer.uscc} ${message.customer.name}`);
      return Promise.resolve({ ok: true });
    },
  };
}
