import type { z } from 'zod';
import type { MockCompany, MockListEntry, MockState, mockCompanyPatchSchema, mockEntryPatchSchema } from './state.js';
import type { MockListName } from './wire-paths.js';

export type MockCompanyPatch = z.output<typeof mockCompanyPatchSchema>;
export type MockEntryPatch = z.output<typeof mockEntryPatchSchema>;
export type MockEntryDraft = Omit<MockListEntry, 'id'> & { id?: string | undefined };

/** The mock's live data: what the control API edits and the provider API serves. */
export class MockStateStore {
  readonly #initial: MockState;
  #companies = new Map<string, MockCompany>();
  #nextEntry = 1;

  constructor(initial: MockState) {
    this.#initial = structuredClone(initial);
    this.reset();
  }

  /** Restores the state the server started with. */
  reset(): void {
    this.replace(this.#initial);
  }

  replace(state: MockState): void {
    this.#companies = new Map(structuredClone(state.companies).map((company) => [company.uscc, company]));
  }

  snapshot(): MockState {
    return { companies: structuredClone([...this.#companies.values()]) };
  }

  company(uscc: string): MockCompany | undefined {
    return this.#companies.get(uscc);
  }

  /** Any company other than `uscc`, for the "foreign body" fault. */
  otherThan(uscc: string): MockCompany | undefined {
    for (const company of this.#companies.values()) if (company.uscc !== uscc) return company;
    return undefined;
  }

  /** Creates or replaces a company; returns true when it was new. */
  put(company: MockCompany): boolean {
    const isNew = !this.#companies.has(company.uscc);
    this.#companies.set(company.uscc, structuredClone(company));
    return isNew;
  }

  patch(uscc: string, patch: MockCompanyPatch): MockCompany | undefined {
    const company = this.#companies.get(uscc);
    if (company === undefined) return undefined;
    Object.assign(company, patch);
    return structuredClone(company);
  }

  delete(uscc: string): boolean {
    return this.#companies.delete(uscc);
  }

  addEntry(uscc: string, list: MockListName, draft: MockEntryDraft): MockListEntry | 'no_company' | 'duplicate' {
    const company = this.#companies.get(uscc);
    if (company === undefined) return 'no_company';
    // An optional list a state file left out starts empty on its first entry.
    const entries = (company[list] ??= []);
    const id = draft.id ?? this.#freshId(entries);
    if (entries.some((entry) => entry.id === id)) return 'duplicate';
    const entry = { ...draft, id };
    // Newest first, as providers list them.
    entries.unshift(entry);
    return structuredClone(entry);
  }

  patchEntry(uscc: string, list: MockListName, id: string, patch: MockEntryPatch): MockListEntry | undefined {
    const entry = this.#companies.get(uscc)?.[list]?.find((candidate) => candidate.id === id);
    if (entry === undefined) return undefined;
    Object.assign(entry, patch);
    return structuredClone(entry);
  }

  deleteEntry(uscc: string, list: MockListName, id: string): boolean {
    const company = this.#companies.get(uscc);
    if (company === undefined) return false;
    const entries = company[list] ?? [];
    const kept = entries.filter((entry) => entry.id !== id);
    company[list] = kept;
    return kept.length !== entries.length;
  }

  #freshId(entries: MockListEntry[]): string {
    let id: string;
    do id = `E${this.#nextEntry++}`;
    while (entries.some((entry) => entry.id === id));
    return id;
  }
}
