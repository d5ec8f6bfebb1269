/**
 * The provider conformance suite: one set of cases, every adapter (天眼查, 企查查, mock) over its fake
 * on 127.0.0.1, through the one provider shell. A new adapter passes these before it is wired in.
 * The raw answer is what the adapter reports; `read` is what the core makes of it (the domain's
 * rules: "no data" is an empty list, a foreign or unidentified registration fails).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toFetchedSections } from '../../../../src/domain/fetched-sections.js';
import type { RawSections } from '../../../../src/domain/sections.js';
import { sha256Hex } from '../../../../src/wiring/check-deps.js';
import { gatedHttpClient } from '../../../../src/providers/gated-http-client.js';
import { createHttpClient, type HttpClient } from '../../../../src/providers/http-client.js';
import { validUscc } from '../../../helpers/valid-uscc.js';
import { company, entries, EXPECTED_KINDS, LIST_SECTIONS, recordingGate } from './conformance-fixtures.js';
import { startMockRig } from './mock-rig.js';
import { RIG_FAILURES, type ProviderRig, type RigDescriptor } from './provider-rig.js';
import { startQichachaRig } from './qichacha-rig.js';
import { startTianyanchaRig } from './tianyancha-rig.js';

const USCC = validUscc(801);
const OTHER = validUscc(802);
const UNKNOWN = validUscc(803);

const RIGS: RigDescriptor[] = [
  { id: 'tianyancha', noDataForms: ['300000'], start: startTianyanchaRig },
  { id: 'qichacha', noDataForms: ['201', 'verify0'], start: startQichachaRig },
  { id: 'mock', noDataForms: ['204'], start: startMockRig },
];

const read = (sections: RawSections, uscc = USCC) => toFetchedSections(sections, sha256Hex, { uscc });

describe.each(RIGS)('$id adapter', ({ id, noDataForms, start }) => {
  let rig: ProviderRig;
  let http: HttpClient;
  const fetch = (uscc = USCC, client = http) => rig.provider(client).fetchSections(uscc, AbortSignal.timeout(10_000));

  beforeAll(async () => {
    rig = await start();
  });
  afterAll(async () => {
    await rig.close();
  });
  beforeEach(async () => {
    http = createHttpClient();
    await rig.serve(company(USCC, { abnormalOperations: entries(3), seriousViolations: entries(2) }));
  });
  afterEach(async () => {
    await http.close();
  });

  it('keeps its id', () => {
    expect(rig.provider(http)).toMatchObject({ id, version: '1' });
  });

  describe('paging', () => {
    it('reads every page of a 45-entry list in order, each page once', async () => {
      const listed = entries(45);
      await rig.serve(company(USCC, { abnormalOperations: listed }));
      const sections = await fetch();
      expect(sections.abnormalOperations.ok && sections.abnormalOperations.value.map((e) => e.reason)).toEqual(listed.map((e) => e.reason));
      const { abnormalOperations } = read(sections);
      expect(abnormalOperations.ok && abnormalOperations.value).toHaveLength(45);
      expect(await rig.calls('abnormalOperations')).toBe(3);
      expect(await rig.calls('registration')).toBe(1);
    });

    it('a failed second page fails the whole list, and only it', async () => {
      await rig.serve(company(USCC, { abnormalOperations: entries(45) }));
      await rig.fail('abnormalOperations', 'transient', 2);
      const sections = await fetch();
      expect(sections.abnormalOperations).toMatchObject({ ok: false, error: { kind: 'transient' } });
      expect(read(sections).registration.ok && read(sections).seriousViolations.ok).toBe(true);
    });
  });

  describe('the registration must be the company asked for', () => {
    it('reports the credit code as sent; a foreign one fails the registration as invalid_response', async () => {
      await rig.answerRegistrationAs(USCC, OTHER);
      const sections = await fetch();
      expect(sections.registration.ok && sections.registration.value.creditCode).toBe(OTHER);
      expect(read(sections).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringMatching(new RegExp(`foreign body.*${OTHER}`)) } });
      expect(read(sections).abnormalOperations.ok).toBe(true);
    });

    it('a registration without a credit code fails as invalid_response', async () => {
      await rig.answerRegistrationAs(USCC, null);
      const sections = await fetch();
      expect(read(sections).registration).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringContaining('no credit code') } });
    });
  });

  describe('no data', () => {
    it('an unknown company is "not found" on registration, and has empty lists', async () => {
      const fetched = read(await fetch(UNKNOWN), UNKNOWN);
      expect(fetched.registration).toEqual({ ok: true, value: { notFound: true } });
      for (const list of LIST_SECTIONS) expect(fetched[list], list).toEqual({ ok: true, value: [] });
    });

    it.each(noDataForms)('reports "no data" in form %s as such, and the core reads it as an empty list', async (form) => {
      await rig.serve(company(USCC, {}));
      rig.useNoDataForm(form);
      const sections = await fetch();
      for (const list of LIST_SECTIONS) {
        expect(sections[list], list).toMatchObject({ ok: false, error: { kind: 'no_data' } });
        expect(read(sections)[list], list).toEqual({ ok: true, value: [] });
      }
      expect(read(sections).registration.ok).toBe(true);
    });
  });

  describe('each error class fails its section only', () => {
    const cases = (['registration', 'abnormalOperations'] as const).flatMap((section) =>
      RIG_FAILURES.filter((failure) => failure !== 'oversize').map((failure) => ({ section, failure, ...EXPECTED_KINDS[failure] })),
    );
    it.each(cases)('$failure on $section → $kind', async ({ section, failure, kind, retryAfterMs }) => {
      await rig.fail(section, failure);
      const sections = await fetch();
      expect(sections[section]).toMatchObject({ ok: false, error: { kind, message: expect.any(String) } });
      if (!sections[section].ok) expect(sections[section].error.retryAfterMs).toBe(retryAfterMs);
      const other = section === 'registration' ? 'abnormalOperations' : 'registration';
      expect(read(sections)[other].ok && read(sections).seriousViolations.ok).toBe(true);
    });
  });

  describe('bounded reads', () => {
    it('a body over the page limit fails its section as invalid_response', async () => {
      const small = createHttpClient({ maxBodyBytes: 16_384 });
      try {
        await rig.fail('registration', 'oversize');
        const sections = await fetch(USCC, small);
        expect(sections.registration).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringContaining('exceeds the limit of 16384 bytes') } });
        expect(read(sections).abnormalOperations.ok).toBe(true);
      } finally {
        await small.close();
      }
    });

    it("pages that each fit but together exceed the check's byte budget fail their list", async () => {
      // About 24 KB a page: the first page and every small answer fit in 36 KB, the second page does not.
      await rig.serve(company(USCC, { abnormalOperations: entries(45, '逾期未报送'.repeat(80)) }));
      const tight = createHttpClient({ maxCheckBytes: 36_000 });
      try {
        const sections = await fetch(USCC, tight);
        expect(sections.abnormalOperations).toMatchObject({ ok: false, error: { kind: 'invalid_response', message: expect.stringContaining('exceed the limit of 36000 bytes in all') } });
        expect(read(sections).registration.ok && read(sections).seriousViolations.ok).toBe(true);
      } finally {
        await tight.close();
      }
    });
  });

  describe('the request gate', () => {
    it('sees every call with its section, and a rate-limit answer in a body as pacing', async () => {
      const recording = recordingGate();
      const gated = gatedHttpClient(http, recording.gate, { maxInFlight: 4 });
      await rig.fail('registration', 'rate_limited');
      const sections = await fetch(USCC, gated);
      expect(sections.registration).toMatchObject({ ok: false, error: { kind: 'rate_limited' } });
      expect(new Set(recording.sections)).toEqual(new Set(['registration', ...LIST_SECTIONS]));
      expect(recording.outcomes.filter((outcome) => outcome.kind === 'rate_limited')).toHaveLength(1);
    });

    it('a cancelled check rejects with the signal\'s reason instead of failing sections', async () => {
      const cancelled = AbortSignal.abort(new Error('shutting down'));
      await expect(rig.provider(http).fetchSections(USCC, cancelled)).rejects.toThrow('shutting down');
    });
  });
});

/** Every failure class has its expected kind; a typo in the table fails here, not silently. */
it('names the expected kind of every failure', () => {
  expect(Object.keys(EXPECTED_KINDS).sort()).toEqual([...RIG_FAILURES].sort());
});
