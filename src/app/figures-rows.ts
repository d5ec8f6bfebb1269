/**
 * A trading-figures file as the `figures import` use case takes it, whatever read it (the CSV adapter
 * in src/csv/ today): the valid rows, and every row rejected, dropped or let through with a warning.
 * Rejections have the customer file's shape (customer-rows.ts).
 */
import type { TradingFigures } from '../domain/trading-figures.js';
import type { CsvRejection } from './customer-rows.js';

export interface FiguresCsvRow {
  /** Physical line number in the file; the header is line 1 (unless blank lines precede it). */
  line: number;
  /** Normalised code. */
  uscc: string;
  figures: TradingFigures;
}

export interface FiguresCsvDuplicate {
  /** The earlier row that was dropped. */
  line: number;
  uscc: string;
  asOf: string;
  /** The later row with the same code and asOf, imported instead. */
  keptLine: number;
}

export interface FiguresCsvWarning {
  line: number;
  /** null for a warning about the whole file. */
  uscc: string | null;
  /**
   * `check_digit_mismatch`: accepted only because `acceptCheckDigitMismatch` was set;
   * `rates_look_like_fractions`: every rate in the file is at most 1 (0.985 where 98.5 was meant?).
   */
  kind: 'check_digit_mismatch' | 'rates_look_like_fractions';
  reason: string;
}

export interface ParsedFiguresCsv {
  encoding: 'utf-8' | 'gbk';
  /** Valid rows in file order, one per code and asOf (the last row of a repeated pair). */
  rows: FiguresCsvRow[];
  rejected: CsvRejection[];
  duplicates: FiguresCsvDuplicate[];
  warnings: FiguresCsvWarning[];
}
