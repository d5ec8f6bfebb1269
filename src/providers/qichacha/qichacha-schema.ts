import { z } from 'zod';

/**
 * What the adapter accepts from 企查查 (see docs/providers.md and the reference's §2). Loose where
 * the published bodies disagree: extra keys pass, missing and `null` read alike, dates pass through
 * as sent ("YYYY-MM-DD", "…T00:00:00", "… 00:00:00") for the domain's date parser.
 */
const rawDate = z.union([z.string(), z.number(), z.null()]).optional().transform((value) => value ?? null);
const optionalText = z.string().nullish().transform((value) => value ?? null);

/** `Status` is a string on the wire; some clients saw numbers, so both are read. */
const status = z.union([z.string(), z.int().transform(String)]);

/** Every answer: `{Status, Message, OrderNumber, Paging?, Result}`. */
export const qccEnvelopeSchema = z.object({
  Status: status,
  Message: z.string().nullish(),
  OrderNumber: z.string().nullish(),
  Paging: z
    .object({ PageSize: z.int().optional(), PageIndex: z.int().optional(), TotalRecords: z.int().nonnegative() })
    .nullish(),
  Result: z.unknown().optional(),
});

/** `ECIV4/GetBasicDetailsByName` `Result` (also the `Data` of the newer verify endpoints). */
export const qccBaseInfoSchema = z.object({
  Name: z.string().min(1),
  CreditCode: optionalText,
  Status: z.string().min(1),
  OperName: optionalText,
  RegistCapi: optionalText,
  Address: optionalText,
  Scope: optionalText,
  StartDate: rawDate,
});

/**
 * An entry of `ExceptionCheck` (`DecisionOffice`, the misspelt `RomoveReason`) or of
 * `SeriousIllegalCheck` (`AddOffice`, `RemoveOffice`, `RemoveReason`). One schema reads both, so a
 * field that moves between them in a later version is still found.
 */
export const qccListItemSchema = z.object({
  AddDate: z.union([z.string(), z.number(), z.null()]),
  AddReason: optionalText,
  DecisionOffice: optionalText,
  AddOffice: optionalText,
  RemoveDate: rawDate,
  RomoveReason: optionalText,
  RemoveReason: optionalText,
});

/** A `*Check` result: `{VerifyResult, Data}`; `Data` is null when there is nothing. */
export function qccCheckResultSchemaOf<T extends z.ZodType>(item: T) {
  return z.object({
    VerifyResult: z.union([z.int(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
    Data: z.array(item).nullish(),
  });
}

/** An entry of `AdminPenaltyCheck/GetList` (行政处罚); `DocNo` is missing in some versions. */
export const qccPenaltyItemSchema = z.object({
  DocNo: optionalText,
  PunishDate: rawDate,
  PunishReason: optionalText,
  PunishResult: optionalText,
  PunishOffice: optionalText,
});

/** An entry of `ShixinCheck/GetList` (失信), with the provider's own casing (`Liandate`, `Publicdate`). */
export const qccDishonestItemSchema = z.object({
  Anno: optionalText,
  Publicdate: rawDate,
  Liandate: rawDate,
  Executegov: optionalText,
  ActionRemark: optionalText,
});

export type QccPenaltyItem = z.output<typeof qccPenaltyItemSchema>;
export type QccDishonestItem = z.output<typeof qccDishonestItemSchema>;

export type QccEnvelope = z.output<typeof qccEnvelopeSchema>;
export type QccListItem = z.output<typeof qccListItemSchema>;
