/**
 * The trading strategy each grade dictates (`strategy.<grade>` in config/): payment term, settlement,
 * deposit and whether new orders are taken, so that the ERP and people act on the same rule.
 */
import { z } from 'zod';
import { GRADES, type Grade } from './grades.js';

export const SETTLEMENTS = ['credit', 'cash_on_delivery', 'prepayment'] as const;
export type Settlement = (typeof SETTLEMENTS)[number];

export const NEW_ORDER_POLICIES = ['allowed', 'review', 'blocked'] as const;
export type NewOrderPolicy = (typeof NEW_ORDER_POLICIES)[number];

export interface Strategy {
  /** Days of credit after delivery (账期); 0 unless `settlement` is `credit`. */
  paymentTermDays: number;
  /** 赊销 on credit, 货到付款 cash on delivery, or 预付款 payment before delivery. */
  settlement: Settlement;
  /** Deposit (保证金) as a percentage of the order value, 0–100. */
  depositPercent: number;
  /** New orders taken as usual, only after a review (需审批), or not at all (暂停). */
  newOrders: NewOrderPolicy;
}

/**
 * Defaults: the better the grade the longer the credit; 一般 and 未评级 pay on delivery with a
 * deposit and a review of new orders; 风险 pays in advance and takes no new orders.
 */
export const DEFAULT_STRATEGIES: Readonly<Record<Grade, Readonly<Strategy>>> = Object.freeze({
  excellent: Object.freeze({ paymentTermDays: 60, settlement: 'credit', depositPercent: 0, newOrders: 'allowed' }),
  good: Object.freeze({ paymentTermDays: 30, settlement: 'credit', depositPercent: 0, newOrders: 'allowed' }),
  fair: Object.freeze({ paymentTermDays: 0, settlement: 'cash_on_delivery', depositPercent: 20, newOrders: 'review' }),
  risk: Object.freeze({ paymentTermDays: 0, settlement: 'prepayment', depositPercent: 100, newOrders: 'blocked' }),
  unrated: Object.freeze({ paymentTermDays: 0, settlement: 'cash_on_delivery', depositPercent: 30, newOrders: 'review' }),
});

/** Longest accepted payment term, in days. */
export const MAX_PAYMENT_TERM_DAYS = 365;

/** One grade's strategy; a key left out keeps that grade's default. */
function strategySchema(grade: Grade) {
  const fallback = DEFAULT_STRATEGIES[grade];
  return z
    .object({
      paymentTermDays: z
        .number({ error: 'paymentTermDays: expected a whole number of days' })
        .int('paymentTermDays: expected a whole number of days')
        .min(0, `paymentTermDays: expected 0 to ${MAX_PAYMENT_TERM_DAYS} days`)
        .max(MAX_PAYMENT_TERM_DAYS, `paymentTermDays: expected 0 to ${MAX_PAYMENT_TERM_DAYS} days`)
        .default(fallback.paymentTermDays),
      settlement: z.enum(SETTLEMENTS, { error: `settlement: expected one of ${SETTLEMENTS.join(', ')}` }).default(fallback.settlement),
      depositPercent: z
        .number({ error: 'depositPercent: expected a percentage from 0 to 100' })
        .min(0, 'depositPercent: expected a percentage from 0 to 100')
        .max(100, 'depositPercent: expected a percentage from 0 to 100')
        .default(fallback.depositPercent),
      newOrders: z.enum(NEW_ORDER_POLICIES, { error: `newOrders: expected one of ${NEW_ORDER_POLICIES.join(', ')}` }).default(fallback.newOrders),
    })
    .strict()
    .prefault({})
    .refine((s) => (s.settlement === 'credit') === s.paymentTermDays > 0, {
      error: 'paymentTermDays must be above 0 with settlement credit, and 0 with cash_on_delivery or prepayment',
    });
}

/** `strategy`: one block per grade (all optional, each key defaulting to that grade's default). */
export const strategiesSchema = z
  .object(Object.fromEntries(GRADES.map((grade) => [grade, strategySchema(grade)])) as { [G in Grade]: ReturnType<typeof strategySchema> })
  .strict()
  .prefault({});

export type Strategies = Readonly<Record<Grade, Readonly<Strategy>>>;
