/** Stable error codes: operators and tests match on these, never on message text. */
export const ERROR_CODES = [
  'USAGE', // bad command-line usage (exit 2)
  'CONFIG_INVALID', // a configuration value is invalid (exit 2)
  'INPUT_UNREADABLE', // a file that cannot be read as what it should be (exit 2)
  'INPUT_REJECTED', // the command ran but rejected some input (exit 1)
  'NOT_FOUND', // the named customer or event does not exist (exit 1)
  'CONFLICT', // the name is already taken, e.g. by a token that is not revoked (exit 1)
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_STOPPED', // the provider refused our credentials or quota: an operator must act
  'PROVIDER_FAILED', // the (mock) provider could not be started
  'STORE_FAILED',
  'STORE_CONFLICT', // other writers kept committing first (retryable)
  'DELIVERY_INCOMPLETE', // a digest went out to some recipients; the rest are retried
  'REDIS_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
