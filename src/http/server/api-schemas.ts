/** The API's zod schemas: validation, serialisation, TypeScript types and /api/openapi.json at once. */
import { z } from 'zod';
import { CASE_DECISIONS, CASE_STATES } from '../../domain/cases.js';
import { TIERS } from '../../domain/events.js';
import { GRADES } from '../../domain/grades.js';

export const limitSchema = z.coerce.number().int().min(1).max(500).default(50).describe('page size, 1 to 500');
export const cursorSchema = z.string().max(200).optional().describe('the `next` of the page before');

export const customerItemSchema = z.object({
  uscc: z.string(),
  name: z.string(),
  tags: z.array(z.string()),
  paused: z.boolean(),
  lastCheckedAt: z.string().nullable(),
  nextCheckAt: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  grade: z.enum(GRADES),
});

export const customersPageSchema = z.object({ customers: z.array(customerItemSchema), total: z.number().int(), next: z.string().nullable() });

export const customersQuerySchema = z.object({
  grade: z.enum(GRADES).optional(),
  tier: z.enum(TIERS).optional().describe('customers with an unacknowledged event of this tier'),
  tag: z.string().min(1).max(100).optional(),
  state: z.enum(['monitored', 'paused', 'failing', 'removed']).optional(),
  search: z.string().min(1).max(200).optional().describe('a code prefix or a part of the name'),
  limit: limitSchema,
  cursor: cursorSchema,
});

export const customerInputSchema = z.object({
  uscc: z.string().min(1).max(40),
  name: z.string().min(1).max(500),
  tags: z.array(z.string().min(1).max(100)).max(50).default([]),
});

/** An event as `events --json` gives it; the payload's fields vary by type. */
export const eventItemSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  tier: z.enum(TIERS),
  baseline: z.boolean(),
  detectedAt: z.string(),
  customer: z.object({ uscc: z.string(), name: z.string() }),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  caseId: z.string().optional(),
});

export const eventsPageSchema = z.object({ events: z.array(eventItemSchema), total: z.number().int(), next: z.string().nullable() });

export const eventsQuerySchema = z.object({
  tier: z.enum(TIERS).optional(),
  acknowledged: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  uscc: z.string().min(1).max(40).optional(),
  since: z.iso.datetime().optional().describe('ISO 8601: detected at or after'),
  limit: limitSchema,
  cursor: cursorSchema,
});

export const ackInputSchema = z.object({
  by: z.string().min(1).max(200).optional().describe("who handled it; default the token's name"),
  note: z.string().max(2000).optional(),
});

export const ackResultSchema = z.object({
  id: z.string(),
  outcome: z.enum(['acknowledged', 'already_acknowledged']),
  acknowledgedBy: z.string(),
  acknowledgedAt: z.string(),
  note: z.string().nullable(),
  case: z.object({ id: z.string(), outcome: z.enum(['acknowledged', 'unchanged']), state: z.enum(CASE_STATES) }).nullable(),
});

/** A case as `cases list --json` gives it. */
export const caseItemSchema = z.looseObject({
  id: z.string(),
  state: z.enum(CASE_STATES),
  tier: z.enum(TIERS),
  customer: z.object({ uscc: z.string(), name: z.string() }),
  openedAt: z.string(),
  assignee: z.string().nullable(),
  decision: z.enum(CASE_DECISIONS).nullable(),
  dueAt: z.string().nullable(),
  overdue: z.array(z.string()),
});

export const casesPageSchema = z.object({ cases: z.array(caseItemSchema), total: z.number().int(), next: z.string().nullable() });

export const casesQuerySchema = z.object({
  state: z.enum(CASE_STATES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  uscc: z.string().min(1).max(40).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

export const caseAckInputSchema = ackInputSchema;
export const caseAssignInputSchema = z.object({ assignee: z.string().min(1).max(200) });
export const caseResolveInputSchema = z.object({
  decision: z.enum(CASE_DECISIONS),
  note: z.string().min(1).max(2000),
  by: z.string().min(1).max(200).optional(),
});
export const caseTransitionSchema = z.object({ outcome: z.enum(['done', 'unchanged']), case: caseItemSchema });

export const rescanInputSchema = z.union([
  z.object({ uscc: z.string().min(1).max(40), force: z.boolean().optional() }),
  z.object({ all: z.literal(true), force: z.boolean().optional() }),
  z.object({ tag: z.string().min(1).max(100), force: z.boolean().optional() }),
]);
export const rescanResultSchema = z.object({ jobIds: z.array(z.string()), requestIds: z.array(z.number().int()), estimatedCalls: z.number().int().nullable() });

export const importResultSchema = z.object({
  imported: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  restored: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  duplicates: z.number().int(),
  encoding: z.string(),
  rows: z.array(z.object({ line: z.number().int(), kind: z.string(), text: z.string() })),
});

export const looseObjectSchema = z.looseObject({});
