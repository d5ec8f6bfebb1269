import type { WebhookTarget } from '../notify/webhook-channel.js';
import { webhookSigner } from '../notify/webhook-signer.js';
import type { Env } from './env-schema.js';
import { badWebhookSecret } from './env-schema.js';
import type { PolicyFile } from './policy-file-schema.js';

/**
 * Every webhook target with its secret: "default" from CM_WEBHOOK_URL (whose secret is
 * CM_WEBHOOK_SECRET), then each `routing.webhooks` target, its secret from the variable it names.
 * A refusal is the one line that names the variable or key at fault.
 */
export function resolveWebhookTargets(
  env: Env,
  file: PolicyFile,
  configPath: string,
): { ok: true; targets: WebhookTarget[] } | { ok: false; problem: string } {
  const targets: WebhookTarget[] = [];
  if (env.CM_WEBHOOK_URL !== undefined) {
    // An unsigned webhook cannot be trusted by its receiver: refuse rather than send it unsigned.
    if (env.CM_WEBHOOK_SECRET === undefined) return { ok: false, problem: 'CM_WEBHOOK_SECRET is required when CM_WEBHOOK_URL is set' };
    targets.push({ name: 'default', url: env.CM_WEBHOOK_URL, secret: env.CM_WEBHOOK_SECRET });
  }
  for (const target of file.routing.webhooks) {
    if (targets.some((t) => t.name === target.name)) {
      return { ok: false, problem: `CM_CONFIG ${configPath}: key "routing.webhooks" is invalid: target name "${target.name}" is used twice` };
    }
    const secret = env[target.secretEnv];
    if (typeof secret !== 'string' || secret === '') {
      return { ok: false, problem: `${target.secretEnv} is required for webhook target "${target.name}"` };
    }
    if (webhookSigner(secret) === undefined) return { ok: false, problem: badWebhookSecret(target.secretEnv) };
    targets.push({ name: target.name, url: target.url, secret });
  }
  return { ok: true, targets };
}
