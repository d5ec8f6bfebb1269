/** A customer's trading figures from the ERP (`figures import`), one set per `asOf` date. */

export interface TradingFigures {
  /** The day the figures describe, YYYY-MM-DD. */
  asOf: string;
  /** Share of invoices paid on time, in percent (0–100). */
  onTimePaymentRate: number;
  /** Share of the customer's contractual obligations fulfilled, in percent (0–100). */
  fulfilmentRate: number;
  /** Amount overdue, in CNY (yuan, rounded to cents); null when the ERP did not say. */
  overdueAmount: number | null;
  /** Credit limit granted, in CNY; null when the ERP did not say. */
  creditLimit: number | null;
}

/** The figures with the latest `asOf` (what grading reads), or null when there are none. */
export function latestFigures(history: readonly TradingFigures[]): TradingFigures | null {
  let latest: TradingFigures | null = null;
  for (const figures of history) {
    if (latest === null || figures.asOf > latest.asOf) latest = figures;
  }
  return latest;
}
