import type { Tier } from '../../domain/events.js';
import type { EventMessage } from '../channel.js';
import type { EmailLanguage } from './language.js';

const ACTIONS: Readonly<Record<Tier, Readonly<Record<EmailLanguage, string>>>> = {
  critical: {
    'zh-CN': '立即停止新业务、复核在执行合同与应收账款、通知法务',
    en: 'Stop new business at once, review open contracts and receivables, and notify legal',
  },
  high: {
    'zh-CN': '改为款到发货/提高保证金、要求客户书面说明',
    en: 'Switch to payment before delivery or raise the deposit, and ask the customer for a written explanation',
  },
  medium: { 'zh-CN': '核实变更、更新客户档案', en: 'Verify the change and update the customer record' },
  low: { 'zh-CN': '知悉、存档', en: 'Note and file' },
  info: { 'zh-CN': '知悉、存档', en: 'Note and file' },
};

/** What the reader should do next for an event of this tier (issue 4). */
export function recommendedAction(tier: Tier, language: EmailLanguage): string {
  return ACTIONS[tier][language];
}

/**
 * What to do for an event whose type says more than its tier; undefined for the others. A missing
 * annual report can still be cured before the listing, which follows within 10 working days of
 * 30 June (企业信息公示暂行条例 Art. 17; the procedure of the 2014 企业经营异常名录管理暂行办法).
 */
export function eventTypeAction(message: Pick<EventMessage, 'type' | 'annualReport'>, language: EmailLanguage): string | undefined {
  if (message.type !== 'annual_report.missing') return undefined;
  const year = message.annualReport?.year;
  if (language === 'en') {
    const report = year === undefined ? "last year's annual report" : `its ${year} annual report`;
    return `Urge the customer to file and publish ${report} at once, before the authority lists it in the abnormal operations list (within 10 working days after 30 June); verify it is still trading`;
  }
  const report = year === undefined ? '上一年度报告' : `${year}年度报告`;
  return `督促客户立即补报并公示${report}，避免在6月30日后10个工作日内被列入经营异常名录；同时核实其是否仍在正常经营`;
}
