import { createLogger, type Logger } from '../../src/logger.js';

export interface LogCapture {
  logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Array<Record<string, unknown> & { level: number; msg: string }>;
  /** Lines whose message contains `text`. */
  matching(text: string): Array<Record<string, unknown> & { level: number; msg: string }>;
}

/** A real pino logger (redaction included) that keeps its JSON lines in memory for assertions. */
export function captureLogs(level = 'info'): LogCapture {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (line: string) => { raw.push(line); } });
  const lines = (): ReturnType<LogCapture['lines']> => raw.map((line) => JSON.parse(line) as ReturnType<LogCapture['lines']>[number]);
  return { logger, lines, matching: (text) => lines().filter((l) => l.msg.includes(text)) };
}
