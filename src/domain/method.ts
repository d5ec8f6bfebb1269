/**
 * Which method (provider, its adapter version, the normaliser version) produced each section of a
 * snapshot. A method is adopted per section: a section read under a new method is diffed normally
 * from its next read on, whatever the other sections do, so one section that keeps failing cannot
 * keep the whole customer in a silent re-baseline.
 */
import { SECTION_NAMES, type SectionName } from './sections.js';
import type { FetchedSections } from './fetched-sections.js';
import type { SnapshotMethod } from './snapshot.js';

/** The method of each section; a section left out was produced by the snapshot's own method. */
export type SectionMethods = Partial<Record<SectionName, SnapshotMethod>>;

export function sameMethod(a: SnapshotMethod, b: SnapshotMethod): boolean {
  return a.provider === b.provider && a.providerVersion === b.providerVersion && a.normaliserVersion === b.normaliserVersion;
}

/** The sections whose last read was made by another method than `current`: they re-baseline silently. */
export function changedSections(
  previous: { method: SnapshotMethod; sectionMethods: SectionMethods } | undefined,
  current: SnapshotMethod,
): ReadonlySet<SectionName> {
  if (previous === undefined) return new Set();
  return new Set(SECTION_NAMES.filter((section) => !sameMethod(previous.sectionMethods[section] ?? previous.method, current)));
}

/**
 * The stamps of the next snapshot, relative to `current` (its own method): a section read now (or
 * still never read) is `current`'s, a failed or held one keeps its old stamp. Only differing stamps
 * are listed, so a snapshot whose every section is current has none.
 */
export function nextSectionMethods(
  previous: { method: SnapshotMethod; sectionMethods: SectionMethods } | undefined,
  fetched: FetchedSections,
  held: ReadonlySet<SectionName>,
  current: SnapshotMethod,
): SectionMethods {
  const stamps: SectionMethods = {};
  if (previous === undefined) return stamps;
  for (const section of SECTION_NAMES) {
    const read = fetched[section]?.ok === true && !held.has(section);
    const old = previous.sectionMethods[section] ?? previous.method;
    if (!read && !sameMethod(old, current)) stamps[section] = old;
  }
  return stamps;
}

/** Canonical text of a stamp set, for comparing two snapshots' stamps. */
export function sectionMethodsKey(stamps: SectionMethods): string {
  return JSON.stringify(
    SECTION_NAMES.flatMap((section) => {
      const m = stamps[section];
      return m === undefined ? [] : [[section, m.provider, m.providerVersion, m.normaliserVersion]];
    }),
  );
}
