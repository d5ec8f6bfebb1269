import type { z } from 'zod';
import type { ProviderError } from '../domain/sections.js';

export type SchemaRead<T> = { ok: true; value: T } | { ok: false; error: ProviderError };

/**
 * Validates a part of an answer with the adapter's schema. A mismatch is `invalid_response` with the
 * first issue on one line ("unexpected list page, items.0.putDate: Invalid input"), never the value.
 */
export function readWithSchema<S extends z.ZodType>(schema: S, value: unknown, what: string, label: string): SchemaRead<z.output<S>> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: { kind: 'invalid_response', message: `${what}: unexpected ${label}, ${firstIssue(parsed.error)}` } };
}

/** "items.0.putDate: Invalid input", one line. */
function firstIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  if (issue === undefined) return 'invalid';
  const path = issue.path.map(String).join('.');
  return `${path === '' ? '(root)' : path}: ${issue.message}`;
}
