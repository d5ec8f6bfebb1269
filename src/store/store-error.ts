/** Translating better-sqlite3 errors into AppError, so nothing above the store sees a library error. */
import { AppError } from '../errors.js';

/**
 * Wraps a SQLite failure as `STORE_FAILED` (retryable when the database was busy or locked), or
 * `INPUT_UNREADABLE` when the file is not a database or cannot be opened. AppErrors pass through.
 * `context` says what was being done, e.g. `cannot open database ./data/credit-monitor.db`.
 */
export function toStoreError(context: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = errorCode(error);
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new AppError('INPUT_UNREADABLE', `${context}: not a SQLite database (${message})`, { cause: error });
  }
  // SQLITE_CANTOPEN and mkdir's EACCES/ENOTDIR are about the path the operator gave, not the data.
  if (code === 'SQLITE_CANTOPEN' || (code !== undefined && !code.startsWith('SQLITE_'))) {
    return new AppError('INPUT_UNREADABLE', `${context}: ${message}`, { cause: error });
  }
  const retryable = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code?.startsWith('SQLITE_BUSY_') === true;
  return new AppError('STORE_FAILED', `${context}: ${message}`, { retryable, cause: error });
}

/**
 * Runs a synchronous store operation behind the asynchronous repository API (kept async so that a
 * PostgreSQL backend can implement the same interfaces), translating its errors.
 */
export function storeCall<T>(context: string, operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(toStoreError(context, error));
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
