/**
 * The embedded Redis's password: generated once per install, kept owner-only beside its data, and
 * read by every process of the install that connects (the worker, the CLI's `rescan`, `status`,
 * `check`), so that no other local user can add jobs (paid checks) or read the queues.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { createPrivateFileOnce, readPrivateFile } from '../store/private-files.js';

/** The file in the embedded Redis's data directory that holds its password. */
export function redisPasswordFile(dataDir: string): string {
  return join(dataDir, 'password');
}

// Sent in Redis's inline protocol and in a URL: letters and digits only.
const PASSWORD = /^[A-Za-z0-9]{16,256}$/;

/**
 * This install's password, or undefined before the embedded server first started.
 * @throws AppError `CONFIG_INVALID` naming the file when it cannot be read (another user's install)
 *   or holds something that is not a password.
 */
export function readRedisPassword(dataDir: string): string | undefined {
  const file = redisPasswordFile(dataDir);
  let text: string | undefined;
  try {
    text = readPrivateFile(file)?.trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('CONFIG_INVALID', `${file}: cannot read (${code}): run as the user that owns this install, or set REDIS_URL`, { cause: error });
  }
  if (text === undefined) return undefined;
  if (!PASSWORD.test(text)) throw new AppError('CONFIG_INVALID', `${file}: expected 16-256 letters and digits (the embedded Redis's password)`);
  return text;
}

/** This install's password, generated (256 random bits) and stored owner-only on first use. */
export function readOrCreateRedisPassword(dataDir: string): string {
  const existing = readRedisPassword(dataDir);
  if (existing !== undefined) return existing;
  createPrivateFileOnce(redisPasswordFile(dataDir), `${randomBytes(32).toString('hex')}\n`);
  // Two first starts at once: one link wins, and both read the winner's password.
  return readRedisPassword(dataDir) ?? '';
}
