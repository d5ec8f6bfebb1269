import { TIERS } from '../../domain/events.js';
import type { EventMessage } from '../channel.js';
import { escapeHtml } from './escape-html.js';
import { eventDetails } from './event-details.js';
import type { RenderedEmail } from './event-email.js';
import { eventPhrase } from './event-phrases.js';
import { formatShanghaiTime } from './format-time.js';
import { sourceName, TIER_COLOURS, tierLabel, type EmailLanguage } from './language.js';
import { recommendedAction } from './recommended-action.js';

/** The digest's period: one calendar day in Asia/Shanghai. */
export interface DigestPeriod {
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
}

const NAME_ORDER = new Intl.Collator('zh-CN');

interface CustomerGroup {
  uscc: string;
  name: string;
  items: EventMessage[];
}

const WORDS = {
  'zh-CN': {
    subject: (date: string, n: number) => `【预警日报】${date} 共${n}条`,
    count: (n: number) => `（${n}条）`,
    none: '本期没有新的预警。',
    action: '建议处置',
    eventId: '事件编号',
    ack: '处理后请确认：credit-monitor alerts ack <事件编号> --by <姓名>',
    colon: '：',
  },
  en: {
    subject: (date: string, n: number) => `[Daily alert digest] ${date}: ${n} event${n === 1 ? '' : 's'}`,
    count: (n: number) => ` (${n})`,
    none: 'No new events in this period.',
    action: 'Recommended action',
    eventId: 'event id',
    ack: 'Acknowledge when handled: credit-monitor alerts ack <event id> --by <name>',
    colon: ': ',
  },
} as const;

/**
 * The daily digest: every item grouped by tier (critical first), then by customer, oldest first
 * within a customer. The caller chooses the items and the period; this only renders them.
 *
 * @param language - default zh-CN.
 */
export function renderDigestEmail(items: readonly EventMessage[], period: DigestPeriod, language: EmailLanguage = 'zh-CN'): RenderedEmail {
  const w = WORDS[language];
  const subject = w.subject(period.date, items.length);
  const sections = TIERS.map((tier) => ({ tier, customers: groupByCustomer(items.filter((m) => m.tier === tier)) })).filter(
    (s) => s.customers.length > 0,
  );
  const line = (m: EventMessage): string =>
    [
      eventPhrase(m, language),
      ...eventDetails(m, language).map((d) => `${d.label}${w.colon}${d.value}`),
      formatShanghaiTime(m.detectedAt, language),
      sourceName(m.source, language),
      `${w.eventId} ${m.id}`,
    ].join(' · ');

  const text = [subject, '']
    .concat(sections.length === 0 ? [w.none, ''] : [])
    .concat(
      sections.flatMap(({ tier, customers }) => [
        `${tierLabel(tier, language)}${w.count(count(customers))}`,
        ...customers.flatMap((c) => [`  ${c.name} (${c.uscc})`, ...c.items.map((m) => `    - ${line(m)}`)]),
        `  ${w.action}${w.colon}${recommendedAction(tier, language)}`,
        '',
      ]),
    )
    .concat([w.ack, ''])
    .join('\n');

  const htmlSections = sections
    .map(({ tier, customers }) => {
      const groups = customers
        .map((c) => `<h3 style="margin:8px 0 4px">${escapeHtml(c.name)} <small>(${escapeHtml(c.uscc)})</small></h3>\n<ul>\n${c.items.map((m) => `<li>${escapeHtml(line(m))}</li>`).join('\n')}\n</ul>`)
        .join('\n');
      return `<section style="border-left:6px solid ${TIER_COLOURS[tier]};padding:4px 12px;margin-bottom:12px">
<h2 style="margin:4px 0">${escapeHtml(tierLabel(tier, language) + w.count(count(customers)))}</h2>
${groups}
<p><strong>${escapeHtml(w.action + w.colon)}</strong>${escapeHtml(recommendedAction(tier, language))}</p>
</section>`;
    })
    .join('\n');
  const html = `<!DOCTYPE html>
<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:sans-serif;font-size:14px;color:#212121">
<h1 style="font-size:18px">${escapeHtml(subject)}</h1>
${sections.length === 0 ? `<p>${escapeHtml(w.none)}</p>` : htmlSections}
<p><code>${escapeHtml(w.ack)}</code></p>
</body></html>
`;
  return { subject, text, html };
}

function groupByCustomer(items: readonly EventMessage[]): CustomerGroup[] {
  const groups = new Map<string, CustomerGroup>();
  for (const m of items) {
    const group = groups.get(m.customer.uscc) ?? { uscc: m.customer.uscc, name: m.customer.name, items: [] };
    group.items.push(m);
    groups.set(m.customer.uscc, group);
  }
  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  for (const group of groups.values()) group.items.sort((a, b) => byText(a.detectedAt, b.detectedAt) || byText(a.id, b.id));
  // Customers in pinyin order (甲 before 乙), as a reader scanning for a name expects; the code
  // breaks ties so the order never depends on arrival.
  return [...groups.values()].sort((a, b) => NAME_ORDER.compare(a.name, b.name) || byText(a.uscc, b.uscc));
}

function count(customers: readonly CustomerGroup[]): number {
  return customers.reduce((n, c) => n + c.items.length, 0);
}

