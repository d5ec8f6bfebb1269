import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase, type DatabaseHandle } from '../../src/store/database.js';

export interface TempDatabase {
  handle: DatabaseHandle;
  /** The temp directory holding the database file. */
  dir: string;
  path: string;
  /** Closes the database and deletes the directory. */
  cleanup(): void;
}

/** Opens and migrates a real SQLite file in a fresh temp directory. */
export function openTempDatabase(): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'credit-monitor-store-'));
  const path = join(dir, 'data', 'credit-monitor.db');
  const handle = openDatabase(path);
  migrateDatabase(handle);
  return {
    handle,
    dir,
    path,
    cleanup: () => {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
