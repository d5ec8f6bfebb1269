import { Webhook } from 'standardwebhooks';

/** `whsec_` and the base64 of the key: the form Standard Webhooks secrets take. */
const SECRET_SHAPE = /^whsec_[A-Za-z0-9+/=]{16,}$/;

/**
 * The signer for a Standard Webhooks secret, or undefined when `secret` is not one this channel can
 * sign with: `whsec_` followed by base64 (at least 16 characters) that the library decodes. The
 * shape alone lets through texts the library cannot decode (a "=" inside). Configuration calls this
 * at load time, so a bad secret stops the process before the channel is built.
 */
export function webhookSigner(secret: string): Webhook | undefined {
  if (!SECRET_SHAPE.test(secret)) return undefined;
  try {
    return new Webhook(secret);
  } catch {
    // The library's message could quote the key; callers say what is wrong without it.
    return undefined;
  }
}
