import type { EventMessage } from '../channel.js';
import { escapeHtml } from './escape-html.js';
import { eventDetails, type DetailLine } from './event-details.js';
import { eventPhrase } from './event-phrases.js';
import { formatShanghaiTime } from './format-time.js';
import { caseAction } from './case-phrases.js';
import { clockAction } from './clock-phrases.js';
import { gradeAction } from './grade-phrases.js';
import { ackCommand, sourceName, TIER_COLOURS, tierLabel, tierTag, type EmailLanguage } from './language.js';
import { eventTypeAction, recommendedAction } from './recommended-action.js';

/** A rendered email: one subject line, a plain-text part and an HTML part saying the same. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const LABELS = {
  'zh-CN': {
    customer: '客户', uscc: '统一社会信用代码', tags: '标签', event: '事件', detectedAt: '发现时间', source: '数据来源',
    baseline: '首次检查基线', baselineYes: '是（客户纳入监控时已存在的情况）', baselineNo: '否', action: '建议处置',
    eventId: '事件编号', ack: '处理后请确认', tagSeparator: '、',
  },
  en: {
    customer: 'Customer', uscc: 'Unified social credit code', tags: 'Tags', event: 'Event', detectedAt: 'Detected at',
    source: 'Source', baseline: 'Baseline (first check)', baselineYes: 'yes: already so when monitoring began', baselineNo: 'no',
    action: 'Recommended action', eventId: 'Event id', ack: 'Acknowledge when handled', tagSeparator: ', ',
  },
} as const;

/** The one-line subject: 【红色预警】示例贸易有限公司被列入严重违法失信名单. */
export function eventSubject(message: EventMessage, language: EmailLanguage): string {
  // A name with a line break must not split the header (or smuggle another one in).
  const name = message.customer.name.replace(/\s+/g, ' ').trim();
  const phrase = eventPhrase(message, language);
  return language === 'en' ? `${tierTag(message.tier, language)}${name}: ${phrase}` : `${tierTag(message.tier, language)}${name}${phrase}`;
}

/** The labelled facts of one event, in reading order: who, what, when, where from, what to do. */
export function eventFacts(message: EventMessage, language: EmailLanguage): DetailLine[] {
  const l = LABELS[language];
  return [
    { label: l.customer, value: message.customer.name },
    { label: l.uscc, value: message.customer.uscc },
    ...(message.customer.tags.length > 0 ? [{ label: l.tags, value: message.customer.tags.join(l.tagSeparator) }] : []),
    { label: l.event, value: `${eventPhrase(message, language)} (${message.type})` },
    ...eventDetails(message, language),
    { label: l.detectedAt, value: formatShanghaiTime(message.detectedAt, language) },
    { label: l.source, value: sourceName(message.source, language) },
    { label: l.baseline, value: message.baseline ? l.baselineYes : l.baselineNo },
  ];
}

/**
 * The email for one event (DESIGN "Email"): what changed, when (Asia/Shanghai), the source, whether
 * it is a baseline, the tier's recommended action, and the event id with its ack command.
 *
 * @param language - default zh-CN.
 */
export function renderEventEmail(message: EventMessage, language: EmailLanguage = 'zh-CN'): RenderedEmail {
  const l = LABELS[language];
  const subject = eventSubject(message, language);
  const facts = eventFacts(message, language);
  // A grade change says what to do itself (apply the new grade's strategy), and so do case events,
  // the listing clock and a missing annual report (file it before the listing).
  const action = gradeAction(message, language) ?? caseAction(message, language) ?? clockAction(message, language) ?? eventTypeAction(message, language) ?? recommendedAction(message.tier, language);
  const ack = ackCommand(message.id, language);
  const colon = language === 'en' ? ': ' : '：';

  const text = [
    subject,
    '',
    ...facts.map((f) => `${f.label}${colon}${f.value}`),
    '',
    `${l.action}${colon}${action}`,
    '',
    `${l.eventId}${colon}${message.id}`,
    `${l.ack}${colon}`,
    `  ${ack}`,
    '',
  ].join('\n');

  const rows = facts
    .map((f) => `<tr><th style="text-align:left;padding:4px 12px 4px 0;vertical-align:top;white-space:nowrap">${escapeHtml(f.label)}</th><td style="padding:4px 0">${escapeHtml(f.value)}</td></tr>`)
    .join('\n');
  const html = `<!DOCTYPE html>
<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:sans-serif;font-size:14px;color:#212121">
<div style="border-left:6px solid ${TIER_COLOURS[message.tier]};padding:8px 12px;margin-bottom:12px">
<strong>${escapeHtml(tierLabel(message.tier, language))}</strong><br>
<span style="font-size:16px">${escapeHtml(subject)}</span>
</div>
<table style="border-collapse:collapse">
${rows}
</table>
<p><strong>${escapeHtml(l.action)}${colon}</strong>${escapeHtml(action)}</p>
<p>${escapeHtml(l.eventId)}${colon}<code>${escapeHtml(message.id)}</code><br>
${escapeHtml(l.ack)}${colon}<code>${escapeHtml(ack)}</code></p>
</body></html>
`;
  return { subject, text, html };
}
