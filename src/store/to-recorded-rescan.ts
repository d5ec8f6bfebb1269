/** A stored re-scan request row as the app sees it (both dialects store the same columns). */
import type { RecordedRescan, RescanScope } from '../app/request-rescan.js';
import type { RescanKind } from './schema.js';

/** The columns of a `rescan_requests` row. */
export interface RescanRequestRow {
  id: number;
  requestedAt: number;
  requestedBy: string;
  kind: RescanKind;
  uscc: string | null;
  tag: string | null;
  force: boolean;
}

export function toRecordedRescan(row: RescanRequestRow): RecordedRescan {
  const scope: RescanScope =
    row.kind === 'uscc' ? { kind: 'uscc', uscc: row.uscc ?? '' } : row.kind === 'tag' ? { kind: 'tag', tag: row.tag ?? '' } : { kind: 'all' };
  return { id: row.id, requestedAt: row.requestedAt, requestedBy: row.requestedBy, scope, force: row.force };
}
