/**
 * Row-level messages of a file import (`customers import`; built to serve `figures import` too). A
 * file of one repeated row would otherwise print a line per row: the terminal gets the first
 * {@link SHOWN_ROW_MESSAGES} in file order and a count per kind of the rest, `--report FILE` gets
 * every one, and `--json` output lists them all (the command's own document).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../errors.js';
import { terminalSafe } from './terminal-text.js';

/** One message about one row of an imported file. */
export interface RowMessage {
  /** Physical line number in the file (the header is line 1). */
  line: number;
  /** What sort of message, e.g. `rejected`, `duplicate`, `warning`: counted per kind once cut off. */
  kind: string;
  /** The message without the file name, e.g. `rejected line 7: uscc is required`. */
  text: string;
}

/** What an import reports about rows: rejected, dropped as an earlier duplicate, let through with a warning. */
export interface ImportRowReport {
  rejected: ReadonlyArray<{ line: number; reason: string }>;
  duplicates: ReadonlyArray<{ line: number; uscc: string; keptLine: number; asOf?: string }>;
  warnings: ReadonlyArray<{ line: number; reason: string }>;
}

/** Every row-level message of an import (customers, figures), for the terminal summary and `--report`. */
export function importRowMessages(summary: ImportRowReport): RowMessage[] {
  return [
    ...summary.rejected.map((r) => ({ line: r.line, kind: 'rejected', text: `rejected ${r.reason}` })),
    ...summary.duplicates.map((d) => ({
      line: d.line,
      kind: 'duplicate',
      text: `line ${d.line}: duplicate of ${d.uscc}${d.asOf === undefined ? '' : ` on ${d.asOf}`}, line ${d.keptLine} kept instead`,
    })),
    ...summary.warnings.map((w) => ({ line: w.line, kind: 'warning', text: `warning: ${w.reason}` })),
  ];
}

/** Row messages printed to the terminal before the rest are only counted. */
export const SHOWN_ROW_MESSAGES = 20;

/** The help text of `--report FILE`, the same for every import command. */
export const REPORT_OPTION_HELP = 'write every row message to this file (the terminal shows the first 20 and a count per kind)';

export interface RowMessageSummary {
  /** The first `limit` messages in line order. */
  shown: RowMessage[];
  /** How many were not shown, per kind, most frequent first (then by name). */
  notShown: Array<{ kind: string; count: number }>;
}

/** Sorts messages by line (stable: messages of one line keep their order). */
export function inLineOrder(messages: readonly RowMessage[]): RowMessage[] {
  return [...messages].sort((a, b) => a.line - b.line);
}

/** The first `limit` messages in line order and a count per kind of the rest. Pure. */
export function summariseRowMessages(messages: readonly RowMessage[], limit = SHOWN_ROW_MESSAGES): RowMessageSummary {
  const ordered = inLineOrder(messages);
  const counts = new Map<string, number>();
  for (const message of ordered.slice(limit)) counts.set(message.kind, (counts.get(message.kind) ?? 0) + 1);
  const notShown = [...counts].map(([kind, count]) => ({ kind, count }));
  notShown.sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return { shown: ordered.slice(0, limit), notShown };
}

/** One line naming the file, made safe for a terminal (data in a message cannot forge a line). */
export function formatRowMessage(file: string, message: RowMessage): string {
  return terminalSafe(`${file}: ${message.text}`);
}

/** Where every message goes with `--report FILE`. */
export interface RowReport {
  readonly path: string;
  /** Writes every message, one line each in line order, and closes the file. */
  write(file: string, messages: readonly RowMessage[]): Promise<void>;
  /** Closes the file without writing (the import failed before it had messages). */
  close(): Promise<void>;
}

/**
 * Opens (creates or truncates) the report file before the import runs, so that an unwritable path
 * is a usage error while nothing has been imported yet. Owner-only (0600): rows carry customer data.
 * @throws AppError `USAGE` naming the path when it cannot be written or is the input file itself.
 */
export async function openRowReport(path: string, inputFile: string): Promise<RowReport> {
  if (resolve(path) === resolve(inputFile)) {
    throw new AppError('USAGE', `--report ${path}: is the file being imported; choose another file`);
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'w', 0o600);
  } catch (error) {
    throw new AppError('USAGE', `--report ${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    path,
    close,
    write: async (file, messages) => {
      try {
        // Chunked so that a file of 100,000 bad rows is neither one huge string nor 100,000 writes.
        const ordered = inLineOrder(messages);
        for (let start = 0; start < ordered.length; start += 1000) {
          const lines = ordered.slice(start, start + 1000).map((message) => `${formatRowMessage(file, message)}\n`);
          await handle.write(lines.join(''));
        }
      } finally {
        await close();
      }
    },
  };
}

/**
 * Prints the summary of the messages to `writeLine` (stderr): the first few, then one line with
 * the count per kind of the rest and where to find them all.
 */
export function printRowMessages(
  file: string,
  messages: readonly RowMessage[],
  writeLine: (line: string) => void,
  report: Pick<RowReport, 'path'> | undefined,
): void {
  const { shown, notShown } = summariseRowMessages(messages);
  for (const message of shown) writeLine(formatRowMessage(file, message));
  if (notShown.length === 0) return;
  const rest = notShown.reduce((sum, { count }) => sum + count, 0);
  const perKind = notShown.map(({ kind, count }) => `${count} ${kind}`).join(', ');
  const where = report === undefined ? 'add --report FILE to write them all' : `all ${messages.length} are in ${report.path}`;
  writeLine(terminalSafe(`${file}: ${rest} more row messages not shown (${perKind}); ${where}`));
}
