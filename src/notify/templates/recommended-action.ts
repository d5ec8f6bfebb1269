import type { Tier } from '../../domain/events.js';
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
