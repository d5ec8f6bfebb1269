import { z } from 'zod';

/**
 * What the adapter accepts from 天眼查 (see docs/providers.md and the reference's §1). Deliberately
 * loose where the published bodies disagree: extra keys pass, a missing key and `null` read alike,
 * dates pass through as sent (epoch ms number, numeric string of ms, or date text) for the domain's
 * date parser, which reads epoch ms on the Asia/Shanghai calendar.
 */
const rawDate = z.union([z.string(), z.number(), z.null()]);
const optionalDate = rawDate.optional().transform((value) => value ?? null);
const optionalText = z.string().nullish().transform((value) => value ?? null);

/** `error_code` is a JSON number; one SDK declares it a string, so "300000" is read too. */
const errorCode = z.union([z.int(), z.string().regex(/^-?\d+$/).transform(Number)]);

/**
 * Every answer: `{error_code, reason, result}`. Public bodies also show `{result}` alone (success)
 * and error bodies without a `result` key.
 */
export const tycEnvelopeSchema = z.object({
  error_code: errorCode.optional(),
  reason: z.string().nullish(),
  result: z.unknown().optional(),
});

/** `ic/baseinfo/normal` `result`; only the fields a snapshot needs are checked. */
export const tycBaseInfoSchema = z.object({
  name: z.string().min(1),
  creditCode: optionalText,
  regStatus: z.string().min(1),
  legalPersonName: optionalText,
  regCapital: optionalText,
  regLocation: optionalText,
  businessScope: optionalText,
  // Companies carry `estiblishTime` (ms, the provider's own spelling); social organisations carry
  // `registrationDate` text instead.
  estiblishTime: optionalDate,
  registrationDate: optionalDate,
});

/** An entry of `mr/abnormal/2.0` (dates as "YYYY-MM-DD") or `mr/illegalinfo/2.0` (dates as ms). */
export const tycListItemSchema = z.object({
  // Present only in some endpoint versions, so it is used to catch repeats while paging, never as
  // the entry key (a key that comes and goes would re-list every entry).
  id: z.union([z.int(), z.string()]).nullish(),
  // The listing date is what makes this a list entry: a body without it is not one of our lists.
  putDate: rawDate,
  putReason: optionalText,
  putDepartment: optionalText,
  // Absent in the legacy v3 body, null or "" when still listed.
  removeDate: optionalDate,
  removeReason: optionalText,
  removeDepartment: optionalText,
});

/** A list `result`: `total` (or the legacy `count`) and `items`. */
export const tycListPageSchema = z.object({
  total: z.int().nonnegative().optional(),
  count: z.int().nonnegative().optional(),
  items: z.array(tycListItemSchema).nullish(),
});

export type TycEnvelope = z.output<typeof tycEnvelopeSchema>;
export type TycBaseInfo = z.output<typeof tycBaseInfoSchema>;
export type TycListItem = z.output<typeof tycListItemSchema>;

/**
 * An entry of `mr/punishmentInfo/3.0` (`decisionDate` "YYYY-MM-DD", `punishNumber`, `reason`,
 * `content`, `departmentName`; no `id`) or of the older v2 format (`publishDate`, `type`,
 * `description`, often null). Placeholders such as "——" are left to the domain's text normaliser.
 */
export const tycPenaltyItemSchema = z.object({
  punishNumber: optionalText,
  decisionDate: optionalDate,
  publishDate: optionalDate,
  reason: optionalText,
  content: optionalText,
  type: optionalText,
  description: optionalText,
  departmentName: optionalText,
});

/**
 * An entry of `jr/dishonest/2.0`. Dates are epoch ms, as numbers or as strings holding ms; the
 * behaviour comes as `disrupttypename` (documented) or `disruptTypeName` (doc sample); ids are
 * strings in some versions and the same company id on every item, so none is read.
 */
export const tycDishonestItemSchema = z.object({
  casecode: optionalText,
  publishdate: optionalDate,
  regdate: optionalDate,
  courtname: optionalText,
  disrupttypename: optionalText,
  disruptTypeName: optionalText,
});

/** A page of either optional list: `total` (sometimes wrong, see the adapter) and `items`. */
export const tycPenaltyPageSchema = z.object({ total: z.int().nonnegative().optional(), items: z.array(tycPenaltyItemSchema).nullish() });
export const tycDishonestPageSchema = z.object({ total: z.int().nonnegative().optional(), items: z.array(tycDishonestItemSchema).nullish() });

export type TycPenaltyItem = z.output<typeof tycPenaltyItemSchema>;
export type TycDishonestItem = z.output<typeof tycDishonestItemSchema>;
