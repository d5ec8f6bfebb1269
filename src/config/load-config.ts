/**
 * Loads the configuration: `config/default.json` (or the file in `CM_CONFIG`), the working-day
 * calendar's override file it names (calendar-file.ts) and the environment, through the one schema (config-schema.ts), into one frozen object. The only reader of process.env.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { readCalendarFile } from './calendar-file.js';
import { configSchema, type Config } from './config-schema.js';

export type { Config } from './config-schema.js';

/** The policy file read when CM_CONFIG is unset, relative to the working directory. */
const DEFAULT_CONFIG_PATH = 'config/default.json';

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads config/*.json and the environment into one frozen object; throws CONFIG_INVALID naming the key. */
export function loadConfig(env: Environment = process.env, cwd = process.cwd()): Readonly<Config> {
  const configPath = resolve(cwd, env.CM_CONFIG ?? DEFAULT_CONFIG_PATH);
  const file = readPolicyFile(configPath);
  const calendarFile = readCalendarFile(file, configPath);
  const parsed = configSchema.safeParse({ configPath, cwd, file, calendarFile, env });
  if (!parsed.success) throw new AppError('CONFIG_INVALID', describeIssue(parsed.error.issues[0], configPath, calendarFile?.path));
  return Object.freeze(parsed.data);
}

function readPolicyFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `CM_CONFIG ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `CM_CONFIG ${path}: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * One line for the first fault. A fault in the file names its key; every other message was written
 * whole by the check that raised it, naming its variable (env-var.ts) or the keys it compares.
 */
function describeIssue(issue: z.core.$ZodIssue | undefined, configPath: string, calendarPath: string | undefined): string {
  if (issue === undefined) return 'the configuration is invalid';
  const [source, ...path] = issue.path;
  if (source === 'file') return `CM_CONFIG ${configPath}: key "${path.join('.')}" is invalid: ${issue.message}`;
  if (source === 'calendarFile') {
    // path[0] is "content": the file's own keys follow.
    const key = path.slice(1).join('.');
    return `calendar.overridesFile ${calendarPath ?? '?'}: ${key === '' ? issue.message : `key "${key}" is invalid: ${issue.message}`}`;
  }
  return issue.message;
}
