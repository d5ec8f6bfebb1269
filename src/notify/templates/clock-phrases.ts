/** What `abnormal_operations.escalation_due` says: when the entry turns three years, what follows, and the cure. */
import { escalationConsequence, escalationDueText, cureFor } from '../../domain/listing-clock.js';
import type { EventMessage } from '../channel.js';
import type { DetailLine } from './event-details.js';
import type { EmailLanguage } from './language.js';

export function clockDetails(message: EventMessage, language: EmailLanguage): DetailLine[] {
  if (message.type !== 'abnormal_operations.escalation_due' || message.escalatesOn === undefined) return [];
  const en = language === 'en';
  const cure = message.entry === undefined ? undefined : cureFor(message.entry.reason);
  return [
    { label: en ? 'Three years on the list on' : '届满三年日期', value: message.escalatesOn },
    { label: en ? 'Then' : '届满后果', value: escalationConsequence(language) },
    ...(cure === undefined ? [] : [{ label: en ? 'To be removed' : '移出方法', value: en ? cure.en : cure.zh }]),
  ];
}

/** The recommended action: have the customer cure the listing reason before the three-year mark. */
export function clockAction(message: EventMessage, language: EmailLanguage): string | undefined {
  if (message.type !== 'abnormal_operations.escalation_due' || message.escalatesOn === undefined || message.entry === undefined) return undefined;
  const text = escalationDueText({ entry: message.entry, escalatesOn: message.escalatesOn }, language);
  return language === 'en' ? `${text} Ask the customer to do so now, and review the terms of trade meanwhile.` : `${text}请督促客户尽快办理，并在此之前审慎调整交易条件。`;
}
