/** `provider.sections`: optional sections off by default, flat keys for every provider, per-provider blocks win. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

const cwd = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cm-sections-'));

function withPolicy(name: string, provider: unknown, env: Record<string, string> = {}) {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ provider }));
  return loadConfig({ CM_CONFIG: file, CM_TIANYANCHA_TOKEN: 't', CM_QICHACHA_KEY: 'k', CM_QICHACHA_SECRET: 's', ...env }, cwd);
}

describe('provider.sections', () => {
  it('is off by default, with and without the key in the file', () => {
    const off = { administrativePenalties: false, dishonestDebtors: false, annualReports: false };
    expect(loadConfig({}, cwd).provider.sections).toEqual(off);
    expect(withPolicy('none', { timeoutMs: 5000 }).provider.sections).toEqual(off);
  });

  it.each([
    { name: 'flat keys apply to any provider', sections: { dishonestDebtors: true }, kind: 'qichacha', expected: { administrativePenalties: false, dishonestDebtors: true, annualReports: false } },
    { name: 'the provider block wins', sections: { dishonestDebtors: true, tianyancha: { dishonestDebtors: false, administrativePenalties: true } }, kind: 'tianyancha', expected: { administrativePenalties: true, dishonestDebtors: false, annualReports: false } },
    { name: 'another provider block does not apply', sections: { qichacha: { administrativePenalties: true } }, kind: 'tianyancha', expected: { administrativePenalties: false, dishonestDebtors: false, annualReports: false } },
    { name: 'mock has a block too', sections: { mock: { administrativePenalties: true, dishonestDebtors: true } }, kind: 'mock', expected: { administrativePenalties: true, dishonestDebtors: true, annualReports: false } },
    { name: 'annual reports: flat key, or in a block', sections: { annualReports: true, qichacha: { annualReports: false } }, kind: 'mock', expected: { administrativePenalties: false, dishonestDebtors: false, annualReports: true } },
  ])('$name', ({ name, sections, kind, expected }) => {
    expect(withPolicy(name.replace(/\W/g, '-'), { sections }, { CM_PROVIDER: kind }).provider.sections).toEqual(expected);
  });

  it.each([
    { sections: { penalties: true }, key: 'provider.sections' },
    { sections: { dishonestDebtors: 'yes' }, key: 'provider.sections.dishonestDebtors' },
    { sections: { annualReports: 1 }, key: 'provider.sections.annualReports' },
    { sections: { tianyancha: { other: true } }, key: 'provider.sections.tianyancha' },
  ])('refuses $sections naming $key', ({ sections, key }) => {
    expect(() => withPolicy('bad', { sections })).toThrow(`key "${key}"`);
  });
});
