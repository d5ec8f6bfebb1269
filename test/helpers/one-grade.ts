/**
 * One grading rule that grades every customer fair, for the tests of delivery and of faults: their
 * oracles count listing transitions one event each, and a first grade of risk (any listing) would
 * add a `grade.changed` to each. Grades are tested with the shipped rules in test/integration/grades/
 * and, under kill -9, in test/e2e/faults/kill-worker.test.ts.
 */
import { join } from 'node:path';
import { REPO_ROOT } from './run-cli.js';

export const ONE_GRADE = { grading: [{ name: 'everyone-fair', grade: 'fair', when: {} }] } as const;

/** {@link ONE_GRADE} as a policy file (test/fixtures/policy/one-grade.json), for CM_CONFIG. */
export const ONE_GRADE_POLICY = join(REPO_ROOT, 'test', 'fixtures', 'policy', 'one-grade.json');

/**
 * No cases (`cases.openAt: null`), for the delivery tests that count a customer's events and outbox
 * rows one per listing: a case adds its `case.opened`. Cases are tested in test/integration/cases/,
 * the store's conformance suite and, under faults, by the fault oracle.
 */
export const NO_CASES = { cases: { openAt: null } } as const;

/** {@link ONE_GRADE} and {@link NO_CASES} as a policy file, for CM_CONFIG. */
export const ONE_GRADE_NO_CASES_POLICY = join(REPO_ROOT, 'test', 'fixtures', 'policy', 'one-grade-no-cases.json');
