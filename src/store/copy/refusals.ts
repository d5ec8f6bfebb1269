/** What `db copy` refuses before it writes anything. */
import { AppError } from '../../errors.js';
import type { CopyEnd } from './copy-end.js';

/** The source must be on this build's latest migration: then both ends have the same tables. */
export async function refuseSource(source: CopyEnd): Promise<void> {
  const state = await source.migrationState();
  if (state.kind === 'behind') {
    throw new AppError(
      'INPUT_UNREADABLE',
      `source ${source.location} is not migrated to the latest schema (${state.applied} of ${state.shipped} migrations applied): run "credit-monitor migrate" with CM_DB set to it first`,
    );
  }
  if (state.kind === 'ahead') {
    throw new AppError('INPUT_UNREADABLE', `source ${source.location} was migrated by a newer credit-monitor (${state.applied} migrations, this one ships ${state.shipped}): copy it with that version`);
  }
}

/** The destination must hold no row in any table; it may be unmigrated (or not exist yet), not ahead. */
export async function refuseDestination(destination: CopyEnd): Promise<void> {
  const withRows = await destination.tablesWithRows();
  if (withRows.length > 0) {
    throw new AppError('USAGE', `destination ${destination.location} is not empty (rows in ${withRows.join(', ')}): db copy only fills an empty store`);
  }
  const state = await destination.migrationState();
  if (state.kind === 'ahead') {
    throw new AppError('INPUT_UNREADABLE', `destination ${destination.location} was migrated by a newer credit-monitor (${state.applied} migrations, this one ships ${state.shipped})`);
  }
}
