/**
 * Files and directories that only this install's user may read (DESIGN "Personal information": the
 * SQLite store, the embedded Redis's data and its password). Modes are set at creation (so there is
 * no moment when they are open to others) and tightened when an older install made them wider.
 */
import { chmodSync, closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Creates `dir` (and missing parents) owner-only (0700). An existing directory is left as it is
 * (it may be shared, like /tmp or a home directory) unless `ours` says the install owns it alone.
 */
export function ensurePrivateDir(dir: string, options: { ours?: boolean } = {}): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (options.ours === true) tighten(dir, 0o700);
}

/** Creates an empty owner-only (0600) file unless it exists; an existing one loses group and other access. */
export function ensurePrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    tighten(path, 0o600);
  }
}

/** Writes `text` to an owner-only file, replacing what was there. */
export function writePrivateFile(path: string, text: string): void {
  ensurePrivateFile(path);
  writeFileSync(path, text, { mode: 0o600 });
}

/**
 * Creates an owner-only file holding `text` unless the file exists; never a moment when it exists
 * empty or half-written (written aside, then hard-linked into place, which fails if it exists).
 */
export function createPrivateFileOnce(path: string, text: string): void {
  const aside = `${path}.${String(process.pid)}.${String(Date.now())}.tmp`;
  writeFileSync(aside, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(aside, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
}

/** Reads a file that must be owner-only, tightening it first; undefined when it does not exist. */
export function readPrivateFile(path: string): string | undefined {
  try {
    tighten(path, 0o600);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Drops group and other bits beyond `mode`; a file owned by someone else is left to its owner. */
function tighten(path: string, mode: number): void {
  const stat = statSync(path);
  if ((stat.mode & 0o077) === 0) return;
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return;
  chmodSync(path, stat.mode & 0o700 & mode);
}
