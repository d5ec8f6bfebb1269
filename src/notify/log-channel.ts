import { gradeStrategyLine } from '../domain/strategy-text.js';
import type { Logger } from '../logger.js';
import type { Channel, EventMessage } from './channel.js';
import type { EmailLanguage } from './templates/language.js';

/**
 * Writes each event as one JSON log line: the channel used until webhook or email is configured. A
 * grade change states the new grade and its strategy in `language` (default zh-CN).
 */
export function createLogChannel(logger: Logger, options: { language?: EmailLanguage } = {}): Channel {
  const language = options.language ?? 'zh-CN';
  return {
    name: 'log',
    send({ deliveryId, message }) {
      logger.info({ deliveryId, event: message }, `${message.tier} ${message.type} ${message.customer.uscc} ${message.customer.name}${gradeText(message, language)}`);
      return Promise.resolve({ ok: true });
    },
  };
}

function gradeText(message: EventMessage, language: EmailLanguage): string {
  if (message.grade === undefined || message.strategy === undefined) return '';
  return ` ${gradeStrategyLine(message.grade.grade, message.strategy, language)}`;
}
