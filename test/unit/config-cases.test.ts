/** `cases`, `clocks` and `calendar` in the policy file, and the calendar override file: defaults and one-line refusals. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_CASE_DEADLINES } from '../../src/domain/case-deadlines.js';
import { AppError } from '../../src/errors.js';

const cwd = new URL('../../', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'cm-cases-'));
let dirs = 0;

/** A policy file (and, when given, files beside it) in a directory of its own. */
function policyDir(policy: unknown, files: Record<string, string> = {}): string {
  const dir = join(root, `p${String((dirs += 1))}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'policy.json'), JSON.stringify(policy));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function load(policy: unknown, files: Record<string, string> = {}) {
  return loadConfig({ CM_CONFIG: join(policyDir(policy, files), 'policy.json') }, cwd);
}

function refusal(policy: unknown, files: Record<string, string> = {}): string {
  try {
    load(policy, files);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    const message = (error as AppError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the configuration was accepted');
}

describe('cases and clocks: defaults', () => {
  it('config/default.json states exactly the built-in defaults, and the shipped calendar file is read', () => {
    const config = loadConfig({}, cwd);
    expect(config.cases).toEqual({ openAt: 'medium', deadlines: DEFAULT_CASE_DEADLINES });
    expect(config.clocks).toEqual({ escalationWarningDays: 60 });
    expect(config.calendar).toEqual({ overridesFile: join(cwd, 'config', 'calendar.json'), overrides: { years: [], holidays: [], workdays: [] } });
  });

  it('a policy file without the keys gets the same defaults, and no calendar file is no overrides', () => {
    const config = load({});
    expect(config.cases).toEqual({ openAt: 'medium', deadlines: DEFAULT_CASE_DEADLINES });
    expect(config.clocks.escalationWarningDays).toBe(60);
    expect(config.calendar).toEqual({ overridesFile: null, overrides: { years: [], holidays: [], workdays: [] } });
  });

  it('keeps the defaults of the tiers and fields left out', () => {
    const config = load({ cases: { openAt: 'high', deadlines: { high: { resolveDays: 15 }, low: { acknowledgeDays: 3, resolveDays: 4 } } } });
    expect(config.cases.openAt).toBe('high');
    expect(config.cases.deadlines).toEqual({
      ...DEFAULT_CASE_DEADLINES,
      high: { acknowledgeDays: 2, resolveDays: 15 },
      low: { acknowledgeDays: 3, resolveDays: 4 },
    });
  });
});

describe('cases and clocks: refusals name the key', () => {
  it.each([
    { policy: { cases: { openAt: 'severe' } }, key: 'cases.openAt' },
    { policy: { cases: { deadlines: { high: { acknowledgeDays: 0 } } } }, key: 'cases.deadlines.high.acknowledgeDays' },
    { policy: { cases: { deadlines: { medium: { resolveDays: 1.5 } } } }, key: 'cases.deadlines.medium.resolveDays' },
    { policy: { cases: { deadlines: { critical: { resolveDays: '5' } } } }, key: 'cases.deadlines.critical.resolveDays' },
    { policy: { cases: { deadlines: { low: { acknowledgeDays: 366, resolveDays: 400 } } } }, key: 'cases.deadlines.low.acknowledgeDays' },
    { policy: { cases: { deadlines: { urgent: { acknowledgeDays: 1 } } } }, key: 'cases.deadlines' },
    { policy: { cases: { deadlines: { high: { ackDays: 1 } } } }, key: 'cases.deadlines.high' },
    { policy: { clocks: { escalationWarningDays: 0 } }, key: 'clocks.escalationWarningDays' },
    { policy: { clocks: { escalationWarningDays: 366 } }, key: 'clocks.escalationWarningDays' },
    { policy: { clocks: { escalationWarningDays: '60' } }, key: 'clocks.escalationWarningDays' },
    { policy: { calendar: { overridesFile: 5 } }, key: 'calendar.overridesFile' },
    { policy: { calendar: { overridesFile: ' ' } }, key: 'calendar.overridesFile' },
  ])('$key: $policy', ({ policy, key }) => {
    expect(refusal(policy)).toMatch(new RegExp(`^CM_CONFIG .*policy\\.json: key "${key.replaceAll('.', '\\.')}" is invalid: `));
  });

  it('refuses a resolve deadline before the acknowledge deadline', () => {
    expect(refusal({ cases: { deadlines: { high: { acknowledgeDays: 5, resolveDays: 3 } } } })).toMatch(
      /key "cases\.deadlines\.high\.resolveDays" is invalid: resolveDays must not be less than acknowledgeDays$/,
    );
  });
});

describe('the calendar override file', () => {
  const notice = JSON.stringify({ years: [2027], holidays: ['2027-01-01'], workdays: ['2027-02-07'] });

  it('reads calendar.json beside the policy file when the key is left out', () => {
    const dir = policyDir({}, { 'calendar.json': notice });
    const config = loadConfig({ CM_CONFIG: join(dir, 'policy.json') }, cwd);
    expect(config.calendar).toEqual({ overridesFile: join(dir, 'calendar.json'), overrides: JSON.parse(notice) });
  });

  it('resolves a named file against the policy file directory, not the working directory', () => {
    const dir = policyDir({ calendar: { overridesFile: 'cal/company.json' } }, { 'cal/company.json': '{"holidays": ["2026-03-09"]}' });
    const config = loadConfig({ CM_CONFIG: join(dir, 'policy.json') }, cwd);
    expect(config.calendar).toEqual({ overridesFile: join(dir, 'cal', 'company.json'), overrides: { years: [], holidays: ['2026-03-09'], workdays: [] } });
  });

  it('null turns the default file off', () => {
    expect(load({ calendar: { overridesFile: null } }, { 'calendar.json': notice }).calendar.overridesFile).toBeNull();
  });

  it.each([
    { name: 'a named file that is missing', policy: { calendar: { overridesFile: 'nope.json' } }, files: {}, line: /^calendar\.overridesFile \/.*\/nope\.json: cannot read \(ENOENT\)$/ },
    { name: 'not JSON', policy: {}, files: { 'calendar.json': '{"years": [2027],' }, line: /^calendar\.overridesFile \/.*\/calendar\.json: not valid JSON/ },
    {
      name: 'a day that does not exist',
      policy: {},
      files: { 'calendar.json': '{"holidays": ["2027-01-01", "2027-02-30"]}' },
      line: /^calendar\.overridesFile \/.*\/calendar\.json: key "holidays\.1" is invalid: expected a YYYY-MM-DD day, got "2027-02-30"$/,
    },
    {
      name: 'a day in another format',
      policy: {},
      files: { 'calendar.json': '{"workdays": ["2027/02/07"]}' },
      line: /key "workdays\.0" is invalid: expected a YYYY-MM-DD day, got "2027\/02\/07"$/,
    },
    { name: 'a fractional year', policy: {}, files: { 'calendar.json': '{"years": [2027.5]}' }, line: /key "years\.0" is invalid/ },
    {
      name: 'a day both off and worked',
      policy: {},
      files: { 'calendar.json': '{"holidays": ["2027-02-07"], "workdays": ["2027-02-07"]}' },
      line: /key "workdays\.0" is invalid: 2027-02-07 is in "holidays" too$/,
    },
    { name: 'an unknown key', policy: {}, files: { 'calendar.json': '{"$comment": "2027 notice", "years": []}' }, line: /calendar\.json: .*\$comment/ },
    { name: 'not an object', policy: {}, files: { 'calendar.json': '[]' }, line: /^calendar\.overridesFile \/.*\/calendar\.json: / },
  ])('refuses $name in one line naming the file', ({ policy, files, line }) => {
    expect(refusal(policy, files)).toMatch(line);
  });
});
