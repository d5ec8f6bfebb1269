/** Translating node-postgres errors into AppError, so nothing above the store sees a library error. */
import { AppError } from '../../errors.js';

// SQLSTATE classes and codes: https://www.postgresql.org/docs/15/errcodes-appendix.html
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled (statement timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
]);
const REFUSED = new Set([
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
  '3D000', // invalid_catalog_name (no such database)
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Wraps a PostgreSQL failure as `STORE_FAILED`, retryable when the server was unreachable, busy,
 * timed out or a transaction lost a race (deadlock, serialisation); `INPUT_UNREADABLE` when the
 * operator's URL is wrong (refused login, no such database). AppErrors pass through.
 */
export function toPgStoreError(context: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = errorCode(error);
  const message = describe(error);
  if (code !== undefined && REFUSED.has(code)) {
    return new AppError('INPUT_UNREADABLE', `${context}: ${message}`, { cause: error });
  }
  const retryable = code === undefined ? isConnectionLoss(message) : RETRYABLE.has(code) || NETWORK.has(code) || code.startsWith('08');
  return new AppError('STORE_FAILED', `${context}: ${message}`, { retryable, cause: error });
}

/** Runs a store operation, translating its errors. */
export async function pgCall<T>(context: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toPgStoreError(context, error);
  }
}

function errorCode(error: unknown): string | undefined {
  // drizzle wraps driver errors in a DrizzleQueryError whose `cause` is pg's error.
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ('code' in e && typeof e.code === 'string') return e.code;
  }
  return undefined;
}

function describe(error: unknown): string {
  let innermost: unknown = error;
  while (typeof innermost === 'object' && innermost !== null && (innermost as { cause?: unknown }).cause instanceof Error) {
    innermost = (innermost as { cause: Error }).cause;
  }
  const text = innermost instanceof Error ? innermost.message : String(innermost);
  return (text.split('\n', 1)[0] ?? text) || 'connection failed';
}

/** pg's own timeouts and a dropped connection come without a code. */
function isConnectionLoss(message: string): boolean {
  return /timeout|terminated|Connection|ECONN|socket/i.test(message);
}
