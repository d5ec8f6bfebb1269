/**
 * Grading rules as data (`grading` in config/): an ordered list of `{ name, grade, when }`; the first
 * rule whose conditions all hold decides, and the last rule, with an empty `when`, is the fallback.
 * The vocabulary is a fixed object of optional conditions, no expressions: one rule is an AND of its
 * conditions, several rules giving the same grade are an OR.
 */
import { z } from 'zod';
import { RATED_GRADES } from './grades.js';
import { REGISTRATION_STATUSES, type AnyListSection } from './snapshot.js';

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `expected ${what} from ${min} to ${max}` })
    .int(`expected ${what} from ${min} to ${max}`)
    .min(min, `expected ${what} from ${min} to ${max}`)
    .max(max, `expected ${what} from ${min} to ${max}`);

const percentage = z
  .number({ error: 'expected a percentage from 0 to 100' })
  .min(0, 'expected a percentage from 0 to 100')
  .max(100, 'expected a percentage from 0 to 100');

const flag = z.boolean({ error: 'expected true or false' });

/** Conditions on one list's entries (current snapshot and kept history); at least one is given. */
const listConditionSchema = z
  .object({
    /** true: at least one entry in force now (not removed); false: none in force now. */
    inForce: flag.optional(),
    /** At least one entry (in force or removed) listed less than N years ago. */
    anyWithinYears: wholeNumber('a whole number of years', 1, 50).optional(),
    /** No entry listed less than N years ago (nor undated). */
    noneWithinYears: wholeNumber('a whole number of years', 1, 50).optional(),
    /** At least one entry removed less than N months ago: the time until a grade recovers. */
    removedWithinMonths: wholeNumber('a whole number of months', 1, 600).optional(),
  })
  .strict()
  .refine((condition) => Object.keys(condition).length > 0, 'states no condition (inForce, anyWithinYears, noneWithinYears, removedWithinMonths)');

/** Conditions on the latest trading figures (by `asOf`). */
const figuresConditionSchema = z
  .object({
    /** true: the customer has figures; false: it has none. */
    present: flag.optional(),
    /** Figures present and `asOf` at most N days before today. */
    maxAgeDays: wholeNumber('a whole number of days', 0, 36_500).optional(),
    /** Figures present and `asOf` more than N days before today. */
    olderThanDays: wholeNumber('a whole number of days', 0, 36_500).optional(),
    /** Figures present with onTimePaymentRate ≥ x (percent). */
    onTimePaymentRateAtLeast: percentage.optional(),
    /** Figures present with fulfilmentRate ≥ x (percent). */
    fulfilmentRateAtLeast: percentage.optional(),
    /** Figures present, overdueAmount given, and ≤ x CNY. */
    overdueAmountAtMost: z.number({ error: 'expected an amount in CNY, 0 or more' }).min(0, 'expected an amount in CNY, 0 or more').optional(),
  })
  .strict()
  .refine((condition) => Object.keys(condition).length > 0, 'states no condition')
  .refine((condition) => condition.present !== false || Object.keys(condition).length === 1, 'present: false cannot be combined with other figures conditions');

const statusListSchema = z
  .array(z.enum(REGISTRATION_STATUSES, { error: `expected statuses among ${REGISTRATION_STATUSES.join(', ')}` }), { error: 'expected a list of statuses' })
  .min(1, 'is empty')
  .refine((list) => new Set(list).size === list.length, 'names a status twice');

const conditionsSchema = z
  .object({
    /** true: the provider said there is no such company (registration.not_found); false: it exists. */
    notFound: flag.optional(),
    /** The registration status is one of these (a not-found company has none). */
    statusIn: statusListSchema.optional(),
    abnormalOperations: listConditionSchema.optional(),
    seriousViolations: listConditionSchema.optional(),
    administrativePenalties: listConditionSchema.optional(),
    dishonestDebtors: listConditionSchema.optional(),
    figures: figuresConditionSchema.optional(),
  })
  .strict();

export const LIST_CONDITION_SECTIONS = ['abnormalOperations', 'seriousViolations', 'administrativePenalties', 'dishonestDebtors'] as const satisfies readonly AnyListSection[];

const ruleSchema = z
  .object({
    name: z
      .string({ error: 'expected a name' })
      .regex(/^[\p{L}\p{N}_.-]{1,64}$/u, 'expected 1 to 64 letters, digits, "_", "-" or "."'),
    grade: z.enum(RATED_GRADES, { error: `expected one of ${RATED_GRADES.join(', ')} ("unrated" is only for customers not yet checked)` }),
    when: conditionsSchema,
  })
  .strict();

export type RuleConditions = z.output<typeof conditionsSchema>;
export type ListCondition = z.output<typeof listConditionSchema>;
export type FiguresCondition = z.output<typeof figuresConditionSchema>;
export type GradingRule = z.output<typeof ruleSchema>;

export type GradingRulesResult = { ok: true; rules: GradingRule[] } | { ok: false; problem: string };

/**
 * Checks a `grading` list: each rule on its own (the first fault, naming the rule and the key), then
 * the list as a whole: unique names, the fallback last, no rule made unreachable by an earlier one
 * that matches everybody.
 */
export function parseGradingRules(input: readonly unknown[]): GradingRulesResult {
  if (input.length === 0) return { ok: false, problem: 'grading: at least one rule is needed (the last one, with an empty "when", is the fallback)' };
  const rules: GradingRule[] = [];
  for (const [index, value] of input.entries()) {
    const label = ruleLabel(value, index);
    const parsed = ruleSchema.safeParse(value);
    if (!parsed.success) return { ok: false, problem: `${label}: ${describe(parsed.error.issues[0], value)}` };
    const rule = parsed.data;
    const first = rules.findIndex((earlier) => earlier.name === rule.name);
    if (first !== -1) return { ok: false, problem: `${label}: the name is already used by rule number ${first + 1}` };
    const last = index === input.length - 1;
    const matchesAll = Object.keys(rule.when).length === 0;
    if (matchesAll && !last) {
      return { ok: false, problem: `${label}: "when" is empty, so it matches every customer and the rules after it never apply` };
    }
    if (!matchesAll && last) {
      return { ok: false, problem: `${label}: the last rule is the fallback and must have an empty "when" ({}), so that every customer gets a grade` };
    }
    rules.push(rule);
  }
  return { ok: true, rules };
}

/** The zod schema of `grading`, for the policy file: a fault is one line naming the rule. */
export function gradingRulesSchema(defaults: () => unknown[]) {
  return z
    .array(z.unknown(), { error: 'expected a list of rules' })
    .default(defaults)
    .transform((input, ctx) => {
      const parsed = parseGradingRules(input);
      if (parsed.ok) return parsed.rules;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    });
}

function ruleLabel(value: unknown, index: number): string {
  const name = typeof value === 'object' && value !== null && 'name' in value ? value.name : undefined;
  return typeof name === 'string' && name !== '' ? `grading rule "${name}" (number ${index + 1})` : `grading rule number ${index + 1}`;
}

/** The keys allowed where an unknown one was found, so the message says what was meant. */
function knownKeys(path: readonly PropertyKey[]): string[] | undefined {
  if (path.length === 0) return Object.keys(ruleSchema.shape);
  if (path.length === 1 && path[0] === 'when') return Object.keys(conditionsSchema.shape);
  if (path.length !== 2 || path[0] !== 'when') return undefined;
  return Object.keys(path[1] === 'figures' ? figuresConditionSchema.shape : listConditionSchema.shape);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined), value);
}

function describe(issue: z.core.$ZodIssue | undefined, value: unknown): string {
  if (issue === undefined) return 'is invalid';
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = key === '' ? 'the rule' : key;
    const known = knownKeys(issue.path);
    return `${where} has an unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}${known === undefined ? '' : ` (known: ${known.join(', ')})`}`;
  }
  const found = valueAt(value, issue.path);
  const shown = found === undefined ? 'missing' : JSON.stringify(found).slice(0, 60);
  return `${key} ${shown}: ${issue.message}`;
}
