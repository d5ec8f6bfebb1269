/**
 * What an enterprise must do to leave the abnormal-operations list (移出, 信用修复), per listing
 * reason: the four statutory reasons of 条例 Art. 17 ¶1, whose texts GSXT and the providers carry,
 * and the cures of 《市场监督管理信用修复管理办法》 Art. 5.
 */
import type { Language } from './grades.js';

export const LISTING_REASONS = ['annual_report', 'instant_disclosure', 'false_information', 'unreachable'] as const;
export type ListingReason = (typeof LISTING_REASONS)[number];

// Matched on distinctive words with punctuation and white space removed, so full- and half-width
// brackets and commas, 《》 and the 2024 wording (市场监督管理部门 for 工商行政管理部门) all match.
// The falsified-information test comes first: its words are the most specific.
const MATCHERS: readonly { reason: ListingReason; test: RegExp }[] = [
  { reason: 'false_information', test: /隐瞒真实情况|弄虚作假/u },
  { reason: 'unreachable', test: /无法联系/u },
  { reason: 'instant_disclosure', test: /第十条|责令的期限内公示/u },
  { reason: 'annual_report', test: /第八条|年度报告/u },
];

function bare(text: string): string {
  return text.normalize('NFKC').replace(/[\p{P}\p{S}\s]/gu, '');
}

/** Which statutory reason a listing's reason text is; undefined for any other text. */
export function listingReason(reasonText: string): ListingReason | undefined {
  const text = bare(reasonText);
  return MATCHERS.find((m) => m.test.test(text))?.reason;
}

type Cure = Readonly<Record<Language, string>>;

const CURES: Readonly<Record<ListingReason, Cure>> = {
  annual_report: {
    'zh-CN': '补报并公示所缺年度的年度报告，再向作出列入决定的市场监督管理部门申请移出',
    en: 'file and publish the annual reports of the missing years, then apply to the market regulator that listed it for removal',
  },
  instant_disclosure: {
    'zh-CN': '按责令要求公示有关企业信息，再向作出列入决定的市场监督管理部门申请移出',
    en: 'publish the company information the authority ordered it to disclose, then apply to the market regulator that listed it for removal',
  },
  false_information: {
    'zh-CN': '更正隐瞒真实情况、弄虚作假的公示信息，再向作出列入决定的市场监督管理部门申请移出',
    en: 'correct the concealed or falsified information it published, then apply to the market regulator that listed it for removal',
  },
  unreachable: {
    'zh-CN': '依法办理住所或经营场所变更登记，或证明通过登记的住所或经营场所可以重新取得联系，再申请移出',
    en: 'register a change of domicile or business premises, or show that it can be reached at the registered ones again, then apply for removal',
  },
};

const GENERAL_CURE: Cure = {
  'zh-CN': '纠正导致列入的情形、履行相关公示义务，再向作出列入决定的市场监督管理部门申请移出',
  en: 'cure the ground for the listing and fulfil the disclosure duty concerned, then apply to the market regulator that listed it for removal',
};

/** The cure for a listing reason text (see `listingReason`); a general cure for any other text. */
export function cureFor(reasonText: string): { zh: string; en: string } {
  const reason = listingReason(reasonText);
  const cure = reason === undefined ? GENERAL_CURE : CURES[reason];
  return { zh: cure['zh-CN'], en: cure.en };
}
