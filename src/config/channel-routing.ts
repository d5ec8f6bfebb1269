/**
 * The routing's demands on the delivery channels (DESIGN "Configuration": an invalid value stops the
 * process with exit 2 naming the key). A route to a channel that is not configured would create
 * outbox rows no process can ever send: a configuration error, found at load time.
 */
import type { Env } from './env-schema.js';
import type { PolicyFile } from './policy-file-schema.js';

/**
 * Every route to e-mail needs the e-mail channel (CM_SMTP_URL and CM_MAIL_FROM), and one of those
 * two without the other is a channel half configured; CM_WEBHOOK_SECRET without CM_WEBHOOK_URL is
 * a webhook half configured (unless a `routing.webhooks` target takes its secret from it). Returns
 * the one line naming the variable or key at fault, or undefined.
 */
export function channelRoutingProblem(env: Env, file: PolicyFile, configPath: string): string | undefined {
  const missing = [env.CM_SMTP_URL === undefined ? 'CM_SMTP_URL' : undefined, env.CM_MAIL_FROM === undefined ? 'CM_MAIL_FROM' : undefined].filter(
    (key): key is string => key !== undefined,
  );
  if (missing.length > 0) {
    const notConfigured = `but the e-mail channel is not configured (missing: ${missing.join(', ')})`;
    const route = emailRoute(env, file);
    if (route === 'CM_MAIL_TO') return `CM_MAIL_TO routes e-mail, ${notConfigured}; set them, or unset CM_MAIL_TO`;
    if (route !== undefined) return `CM_CONFIG ${configPath}: key "${route}" routes e-mail, ${notConfigured}`;
    if (missing.length === 1) {
      const [given, absent] = missing[0] === 'CM_SMTP_URL' ? ['CM_MAIL_FROM', 'CM_SMTP_URL'] : ['CM_SMTP_URL', 'CM_MAIL_FROM'];
      return `${absent} is required when ${given} is set`;
    }
  }
  if (env.CM_WEBHOOK_SECRET !== undefined && env.CM_WEBHOOK_URL === undefined && !file.routing.webhooks.some((t) => t.secretEnv === 'CM_WEBHOOK_SECRET')) {
    return 'CM_WEBHOOK_SECRET is set but CM_WEBHOOK_URL is not: no webhook would be sent (set CM_WEBHOOK_URL, or unset CM_WEBHOOK_SECRET)';
  }
  return undefined;
}

/** The first variable or policy key that would write an e-mail row, if any. */
function emailRoute(env: Env, file: PolicyFile): string | undefined {
  const { email, tags } = file.routing;
  // No tier mailed means no e-mail row is ever written for these recipients.
  const tiersMailed = email.immediateTiers.length + email.digestTiers.length > 0;
  if (env.CM_MAIL_TO.length > 0 && tiersMailed) return 'CM_MAIL_TO';
  const tag = tiersMailed ? Object.entries(tags).find(([, route]) => route.email.length > 0)?.[0] : undefined;
  if (tag !== undefined) return `routing.tags.${tag}.email`;
  const { escalation } = file;
  if (escalation.to.length > 0 && escalation.tiers.length > 0 && escalation.maxTimes > 0) return 'escalation.to';
  return undefined;
}
