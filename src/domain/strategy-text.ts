/** A strategy in words, zh-CN or English: one line for alerts, labelled fields for `customers show`. */
import { gradeLabel, type Grade, type Language } from './grades.js';
import type { NewOrderPolicy, Settlement, Strategy } from './strategy.js';

type Words<K extends string> = Readonly<Record<K, Readonly<Record<Language, string>>>>;

const SETTLEMENT_WORDS: Words<Settlement> = {
  credit: { 'zh-CN': '赊销', en: 'on credit' },
  cash_on_delivery: { 'zh-CN': '货到付款', en: 'cash on delivery' },
  prepayment: { 'zh-CN': '预付款', en: 'prepayment' },
};

const NEW_ORDER_WORDS: Words<NewOrderPolicy> = {
  allowed: { 'zh-CN': '正常接单', en: 'allowed' },
  review: { 'zh-CN': '需审批', en: 'review required' },
  blocked: { 'zh-CN': '暂停接单', en: 'blocked' },
};

const FIELD_LABELS: Words<keyof Strategy> = {
  paymentTermDays: { 'zh-CN': '付款账期', en: 'Payment term' },
  settlement: { 'zh-CN': '结算方式', en: 'Settlement' },
  depositPercent: { 'zh-CN': '保证金比例', en: 'Deposit' },
  newOrders: { 'zh-CN': '新订单', en: 'New orders' },
};

function term(days: number, language: Language): string {
  if (days === 0) return language === 'en' ? 'none' : '无';
  return language === 'en' ? `${days} days` : `${days} 天`;
}

function percent(value: number): string {
  return `${value}%`;
}

/** Each field with its label, in a fixed order, for `customers show`. */
export function strategyFields(strategy: Strategy, language: Language): { field: keyof Strategy; label: string; value: string }[] {
  const values: Record<keyof Strategy, string> = {
    paymentTermDays: term(strategy.paymentTermDays, language),
    settlement: SETTLEMENT_WORDS[strategy.settlement][language],
    depositPercent: percent(strategy.depositPercent),
    newOrders: NEW_ORDER_WORDS[strategy.newOrders][language],
  };
  return (Object.keys(FIELD_LABELS) as (keyof Strategy)[]).map((field) => ({ field, label: FIELD_LABELS[field][language], value: values[field] }));
}

/**
 * One line for an alert: "账期 60 天，赊销，保证金 0%，新订单正常接单" or "payment term 60 days, on
 * credit, deposit 0%, new orders allowed".
 */
export function strategyLine(strategy: Strategy, language: Language): string {
  const settlement = SETTLEMENT_WORDS[strategy.settlement][language];
  const orders = NEW_ORDER_WORDS[strategy.newOrders][language];
  if (language === 'en') {
    return `payment term ${term(strategy.paymentTermDays, language)}, ${settlement}, deposit ${percent(strategy.depositPercent)}, new orders ${orders}`;
  }
  const days = strategy.paymentTermDays === 0 ? '无账期' : `账期 ${strategy.paymentTermDays} 天`;
  return `${days}，${settlement}，保证金 ${percent(strategy.depositPercent)}，新订单${orders}`;
}

/** The grade and its strategy in one line: "信用等级：风险（无账期，预付款，保证金 100%，新订单暂停接单）". */
export function gradeStrategyLine(grade: Grade, strategy: Strategy, language: Language): string {
  if (language === 'en') return `credit grade: ${gradeLabel(grade, language)} (${strategyLine(strategy, language)})`;
  return `信用等级：${gradeLabel(grade, language)}（${strategyLine(strategy, language)}）`;
}
