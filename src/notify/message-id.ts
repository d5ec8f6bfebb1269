import { createHash } from 'node:crypto';

/**
 * A stable Message-ID for a delivery (`<deliveryId@domain>`) or a digest (`<digest-…@domain>`), so
 * a resend after a lost answer carries the same one and mail clients fold the two together. The
 * domain is the From address's; a reserved one stands in when From has none.
 */
export function messageId(localPart: string, from: string): string {
  const domain = /@([\w.-]+)>?\s*$/.exec(from)?.[1] ?? 'credit-monitor.invalid';
  return `<${localPart.replace(/[^\w.-]/g, '')}@${domain}>`;
}

/** The digest's local part: the period and a hash of the recipient (no address in a header id). */
export function digestLocalPart(period: string, recipient: string): string {
  return `digest-${period}-${createHash('sha256').update(recipient.toLowerCase()).digest('hex').slice(0, 16)}`;
}
