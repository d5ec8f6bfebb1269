import { z } from 'zod';

/**
 * What the adapter accepts from the mock API. Deliberately looser than the server's own state
 * schema (extra keys pass, absent optional text reads as null): an adapter validates what it needs,
 * the way it would for a real provider whose responses grow fields over time.
 */
const rawDate = z.union([z.string(), z.number(), z.null()]).default(null);
const optionalText = z.string().nullable().default(null);

/** `{ code, message?, data? }`: every answer, success or business error. */
export const envelopeSchema = z.object({
  code: z.int(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});

export const registrationDataSchema = z.object({
  // Checked against the code asked for by the domain, which also refuses an answer without one.
  creditCode: optionalText,
  name: z.string().min(1),
  status: z.string(),
  legalPerson: optionalText,
  regCapital: optionalText,
  address: optionalText,
  scope: optionalText,
  establishedOn: rawDate,
});

export const listEntrySchema = z.object({
  id: z
    .union([z.string().min(1), z.int()])
    .nullish()
    .transform((id) => (id === null || id === undefined ? null : String(id))),
  listedOn: rawDate,
  reason: optionalText,
  authority: optionalText,
  removedOn: rawDate,
  removalReason: optionalText,
});

export const listPageSchema = z.object({
  total: z.int().nonnegative(),
  items: z.array(listEntrySchema),
});

export const annualReportSchema = z.object({
  year: z.union([z.int(), z.string()]),
  publishedOn: rawDate,
});

export const annualReportsPageSchema = z.object({
  total: z.int().nonnegative(),
  items: z.array(annualReportSchema),
});

export type RegistrationData = z.output<typeof registrationDataSchema>;
export type ListEntryData = z.output<typeof listEntrySchema>;
