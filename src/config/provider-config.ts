import type { OptionalSections } from '../domain/sections.js';
import type { Env, ProviderKind } from './env-schema.js';
import type { PolicyFile, SectionsPolicy } from './policy-file-schema.js';

/** `provider.sections` for one provider: its own block wins over the flat keys, which win over off. */
function resolveSections(sections: SectionsPolicy, kind: ProviderKind): OptionalSections {
  const own = sections[kind] ?? {};
  return Object.freeze({
    administrativePenalties: own.administrativePenalties ?? sections.administrativePenalties ?? false,
    dishonestDebtors: own.dishonestDebtors ?? sections.dishonestDebtors ?? false,
    annualReports: own.annualReports ?? sections.annualReports ?? false,
  });
}

/**
 * The provider to check with: a union over `kind`, each with exactly its credentials (the schema
 * refused a real provider without them, so no caller checks again).
 */
export function providerConfig(env: Env, file: PolicyFile) {
  const kind: ProviderKind = env.CM_PROVIDER === undefined || env.CM_PROVIDER === '' ? 'mock' : env.CM_PROVIDER;
  const common = {
    /** CM_PROVIDER_URL: origin (+ optional path prefix); undefined: the adapter's own (for mock, the built-in server). */
    url: env.CM_PROVIDER_URL,
    /** CM_PROVIDER_RATE: max requests per second across all workers (and `check`), evenly paced; above 0, at most 10000. Default 5. */
    ratePerSecond: env.CM_PROVIDER_RATE,
    /** `provider.timeoutMs`: per-request timeout in ms. Default 10000. */
    timeoutMs: file.provider.timeoutMs,
    /** `provider.maxBodyBytes`: largest accepted response body in bytes. Default 2 MiB. */
    maxBodyBytes: file.provider.maxBodyBytes,
    /**
     * `provider.dailyCallBudget`: provider calls (HTTP requests) per Asia/Shanghai day across every
     * worker; once spent, scheduled checks and fan-out re-scans wait for the next day (a single-customer
     * re-scan and a `rescan --force` still run). Default null: unlimited.
     */
    dailyCallBudget: file.provider.dailyCallBudget,
    /**
     * `provider.sections`, resolved for this provider: which optional sections every check also
     * reads (行政处罚, 失信被执行人: at least one call per check each), and whether the annual reports
     * (年度报告) are read once per customer a year. Default: none. A provider that cannot serve a
     * section turned on refuses to start (CONFIG_INVALID, see SectionTableProvider).
     */
    sections: resolveSections(file.provider.sections, kind),
  };
  switch (env.CM_PROVIDER) {
    case 'tianyancha':
      return {
        kind: 'tianyancha' as const,
        /** Whether CM_PROVIDER was left unset (only the mock provider can be). */
        implicit: false as const,
        /** CM_TIANYANCHA_TOKEN, required with this provider. */
        credentials: { token: env.CM_TIANYANCHA_TOKEN },
        ...common,
      };
    case 'qichacha':
      return {
        kind: 'qichacha' as const,
        /** Whether CM_PROVIDER was left unset (only the mock provider can be). */
        implicit: false as const,
        /** CM_QICHACHA_KEY and CM_QICHACHA_SECRET, both required with this provider. */
        credentials: { key: env.CM_QICHACHA_KEY, secret: env.CM_QICHACHA_SECRET },
        ...common,
      };
    case undefined:
    case '':
    case 'mock':
      return {
        /** CM_PROVIDER: mock, tianyancha or qichacha. Default mock (the demo on the sample portfolio). */
        kind: 'mock' as const,
        /** True when CM_PROVIDER was not set: the demo answers, and refuses a store a real provider built. */
        implicit: env.CM_PROVIDER !== 'mock',
        ...common,
      };
  }
}
