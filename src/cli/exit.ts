import { CommanderError } from 'commander';
import { isAppError, type ErrorCode } from '../errors.js';

const EXIT_CODES: Partial<Record<ErrorCode, number>> = {
  USAGE: 2,
  CONFIG_INVALID: 2,
  INPUT_UNREADABLE: 2,
  INPUT_REJECTED: 1,
  NOT_FOUND: 1,
  CONFLICT: 1,
};

/** Maps an error to the contract's exit code and one line for stderr. */
export function describeFailure(error: unknown): { exitCode: number; line: string } {
  if (error instanceof CommanderError) {
    return { exitCode: error.exitCode === 0 ? 0 : 2, line: error.message.replace(/^error: /, '') };
  }
  if (isAppError(error)) return { exitCode: EXIT_CODES[error.code] ?? 1, line: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: 1, line: `unexpected error: ${message.split('\n')[0] ?? ''}` };
}
