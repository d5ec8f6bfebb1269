import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { describeStoreLocation } from '../../src/store/store-location.js';

const cwd = new URL('../../', import.meta.url).pathname;

describe('CM_DB selects the store', () => {
  it('defaults to the SQLite file ./data/credit-monitor.db, with the embedded Redis beside it', () => {
    const config = loadConfig({}, cwd);
    expect(config.store).toEqual({ dialect: 'sqlite', path: join(cwd, 'data', 'credit-monitor.db') });
    expect(config.dataDir).toBe(join(cwd, 'data'));
  });

  it('resolves a relative SQLite path against the working directory', () => {
    expect(loadConfig({ CM_DB: 'var/state.db' }, cwd).store).toEqual({ dialect: 'sqlite', path: join(cwd, 'var', 'state.db') });
  });

  it.each(['postgres://cm:secret@db.example:5432/credit_monitor', 'postgresql://cm:secret@db.example/credit_monitor?sslmode=require'])(
    '%s is PostgreSQL; its password never appears in what is shown',
    (url) => {
      const config = loadConfig({ CM_DB: url }, cwd);
      expect(config.store).toEqual({ dialect: 'postgres', url });
      expect(config.dataDir).toBe(join(cwd, 'data'));
      const shown = describeStoreLocation(config.store);
      expect(shown).toContain('db.example');
      expect(shown).not.toContain('secret');
    },
  );

  it.each([
    ['postgres:///credit_monitor?password=secret', 'names no host'],
    ['postgres://cm:secret@[bad/credit_monitor', 'not a PostgreSQL URL'],
  ])('refuses %s in one line that names CM_DB and hides the value', (url, reason) => {
    let message = '';
    try {
      loadConfig({ CM_DB: url }, cwd);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('CM_DB');
    expect(message).toContain(reason);
    expect(message).not.toContain('secret');
    expect(message).not.toContain('\n');
  });
});
