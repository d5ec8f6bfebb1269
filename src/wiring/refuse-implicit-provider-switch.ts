import { AppError } from '../errors.js';
import type { Config } from '../config/load-config.js';
import type { Store } from './open-store.js';

/**
 * With CM_PROVIDER unset the demo mock provider answers. On a store built by a real provider that
 * would be a silent switch to made-up data (every unknown customer "not found"), so it is refused.
 * Setting CM_PROVIDER=mock explicitly is a deliberate switch, and a silent re-baseline.
 */
export async function refuseImplicitProviderSwitch(config: Config, store: Store): Promise<void> {
  if (!config.provider.implicit) return;
  const other = await store.repos.snapshots.providerOtherThan('mock');
  if (other === undefined) return;
  throw new AppError(
    'CONFIG_INVALID',
    `CM_PROVIDER is not set, so the demo mock provider would answer, but this store was built by ${other}: set CM_PROVIDER=${other} (or CM_PROVIDER=mock to switch on purpose)`,
  );
}
