/**
 * Schemas of single environment variables. Each is made for its variable's name, so that a refused
 * value's message is one line naming the variable (DESIGN "Configuration": exit 2 naming the key);
 * a value that may carry a secret is never quoted. Unless a builder says otherwise, an empty value
 * counts as unset.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseDuration } from './duration.js';

/** One variable's schema, made for its name. */
export type EnvVar<T extends z.ZodType = z.ZodType> = (key: string) => T;

/** An object shape from a table of variables, each schema made for its own name. */
export function envShape<T extends Record<string, EnvVar>>(vars: T): { [K in keyof T]: ReturnType<T[K]> } {
  return Object.fromEntries(Object.entries(vars).map(([key, build]) => [key, build(key)])) as { [K in keyof T]: ReturnType<T[K]> };
}

/** `KEY="value" is invalid: why`, the line for a refused value that may be shown. */
export function invalid(key: string, value: string, why: string): string {
  return `${key}=${JSON.stringify(value)} is invalid: ${why}`;
}

/** Refuses the value from inside a transform; `message` is the whole line. */
export function refuse(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

const raw = (key: string) => z.string({ error: `${key} is invalid: expected text` }).optional();

/** Text; unset or empty: undefined. */
export const optionalText = () => (key: string) => raw(key).transform((value) => (value === '' ? undefined : value));

/** Text; unset or empty: `fallback`. */
export const textOr =
  (fallback: string) =>
  (key: string) =>
    raw(key).transform((value) => (value === undefined || value === '' ? fallback : value));

/** Text that must be given (not blank) when `when` holds, e.g. a provider's credential. */
export const requiredText =
  (when: string) =>
  (key: string) =>
    z
      .string({ error: `${key} is required when ${when}` })
      .refine((value) => value.trim() !== '', `${key} is required when ${when}`);

/** Text matching `pattern`, `fallback` when unset; empty is refused, not defaulted. */
export const matching =
  (fallback: string, pattern: RegExp, why: string) =>
  (key: string) =>
    raw(key)
      .default(fallback)
      .transform((value, ctx) => (pattern.test(value) ? value : refuse(ctx, invalid(key, value, why))));

/** One of `values`, `fallback` when unset; empty is refused. */
export const oneOf =
  <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  (key: string) =>
    raw(key)
      .default(fallback)
      .transform((value, ctx) =>
        (values as readonly string[]).includes(value)
          ? (value as T[number])
          : refuse(ctx, invalid(key, value, `expected one of ${values.join(', ')}`)),
      );

/** `<number><s|m|h|d>` ("90s", "15m", "6h", "1d") in ms, `fallback` when unset; empty is refused. */
export const durationMs =
  (fallback: string) =>
  (key: string) =>
    raw(key)
      .default(fallback)
      .transform((value, ctx) => parseDuration(value) ?? refuse(ctx, invalid(key, value, 'expected <number><s|m|h|d>, e.g. 90s, 15m, 6h, 1d')));

/** An integer from `min` to `max`; unset or empty: `fallback`. */
export const integer =
  (fallback: number, min: number, max: number) =>
  (key: string) =>
    raw(key).transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const n = Number(value);
      return Number.isInteger(n) && n >= min && n <= max ? n : refuse(ctx, invalid(key, value, `expected an integer from ${min} to ${max}`));
    });

/** A number above 0 and at most `max`; unset or empty: `fallback`. */
export const positiveNumber =
  (fallback: number, max: number, why: string) =>
  (key: string) =>
    raw(key).transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const n = Number(value);
      return Number.isFinite(n) && n > 0 && n <= max ? n : refuse(ctx, invalid(key, value, why));
    });

/** An IP address (v4 or v6) or a host name to bind, trimmed; unset or empty: `fallback`. */
export const host =
  (fallback: string) =>
  (key: string) =>
    raw(key).transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const name = value.trim();
      if (isIP(name) !== 0 || HOST_NAME.test(name)) return name;
      return refuse(ctx, invalid(key, value, 'expected an IP address (127.0.0.1, 0.0.0.0, ::) or a host name'));
    });

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * A URL with one of `protocols` (e.g. `['http:', 'https:']`), kept as given; unset or empty:
 * undefined. `hidden`: the value is never quoted (it may carry a password or a token).
 */
export const url =
  (protocols: readonly string[], options: { hidden?: boolean } = {}) =>
  (key: string) =>
    raw(key).transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      const shown = options.hidden === true ? `${key}=(hidden)` : `${key}=${JSON.stringify(value)}`;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        return refuse(ctx, `${shown} is invalid: not a URL`);
      }
      if (protocols.includes(parsed.protocol)) return value;
      return refuse(ctx, `${shown} is invalid: expected ${protocols.join(' or ')} URL`);
    });

/** Comma-separated e-mail addresses, trimmed; unset or empty: none. */
export const addresses = () => (key: string) =>
  raw(key).transform((value, ctx) => {
    const list = (value ?? '').split(',').map((part) => part.trim()).filter(Boolean);
    const bad = list.find((address) => !/^[^\s@]+@[^\s@]+$/.test(address));
    return bad === undefined ? list : refuse(ctx, invalid(key, bad, 'not an e-mail address'));
  });

/**
 * Text an adapter's own rule checks at load time: `problem` returns the whole line refusing the
 * value, or undefined to accept it. Unset or empty: undefined.
 */
export const checkedText =
  (problem: (key: string, value: string) => string | undefined) =>
  (key: string) =>
    raw(key).transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      const message = problem(key, value);
      return message === undefined ? value : refuse(ctx, message);
    });
