/**
 * A provider value the normaliser cannot read (a date that is not a date). Thrown by the normalisers
 * and turned by `toFetchedSections` into a failed section (`invalid_response`): guessing instead would
 * change an entry's key or a field, and a guess must never read as a change.
 */
export class NormaliseError extends Error {
  override readonly name = 'NormaliseError';
  /** Which field was unreadable, e.g. "listedOn". */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
