import { describe, expect, it } from 'vitest';
import type { Tier } from '../../src/domain/events.js';
import { DEFAULT_DIGEST_TIERS, DEFAULT_IMMEDIATE_TIERS, routeEvent, type Routing } from '../../src/domain/routing.js';

const ROUTING: Routing = {
  webhooks: ['primary', 'backup'],
  email: { to: ['risk@example.com', 'legal@example.com'], immediateTiers: [...DEFAULT_IMMEDIATE_TIERS], digestTiers: [...DEFAULT_DIGEST_TIERS] },
  log: false,
};

const webhooks = [
  { channel: 'webhook', target: 'primary' },
  { channel: 'webhook', target: 'backup' },
];

describe('routeEvent', () => {
  it.each<{ tier: Tier; mail: string }>([
    { tier: 'critical', mail: 'email' },
    { tier: 'high', mail: 'email' },
    { tier: 'medium', mail: 'email_digest' },
    { tier: 'low', mail: 'email_digest' },
    { tier: 'info', mail: 'email_digest' },
  ])('$tier goes to every webhook and to $mail, one row per recipient', ({ tier, mail }) => {
    expect(routeEvent({ tier, type: 'abnormal_operations.listed' }, [], ROUTING)).toEqual([
      ...webhooks,
      { channel: mail, target: 'risk@example.com' },
      { channel: mail, target: 'legal@example.com' },
    ]);
  });

  it('adds the log when asked', () => {
    expect(routeEvent({ tier: 'info', type: 'monitoring.recovered' }, [], { ...ROUTING, email: { ...ROUTING.email, to: [] }, log: true })).toEqual([
      ...webhooks,
      { channel: 'log', target: 'stdout' },
    ]);
  });

  it('mails a tier listed as both immediate and digest once, at once', () => {
    const routing: Routing = { webhooks: [], email: { to: ['a@example.com'], immediateTiers: ['high'], digestTiers: ['high'] }, log: false };
    expect(routeEvent({ tier: 'high', type: 'registration.not_found' }, [], routing)).toEqual([{ channel: 'email', target: 'a@example.com' }]);
  });

  it('drops a tier that no email list names, and duplicate targets', () => {
    const routing: Routing = { webhooks: ['w', 'w'], email: { to: ['a@example.com'], immediateTiers: ['critical'], digestTiers: [] }, log: false };
    expect(routeEvent({ tier: 'low', type: 'registration.address_changed' }, ['vip'], routing)).toEqual([{ channel: 'webhook', target: 'w' }]);
  });
});

describe('routeEvent: tags and grouping', () => {
  const routing: Routing = {
    webhooks: ['erp'],
    email: { to: ['credit@corp.cn'], immediateTiers: ['critical', 'high'], digestTiers: ['medium', 'low', 'info'] },
    tagRecipients: { 华东: ['east@corp.cn'], 华南: ['south@corp.cn'] },
    log: false,
  };

  it('adds the recipients of each of the customer tags', () => {
    const routes = routeEvent({ tier: 'high', type: 'abnormal_operations.listed' }, ['华东'], routing);
    expect(routes).toEqual([
      { channel: 'webhook', target: 'erp' },
      { channel: 'email', target: 'credit@corp.cn' },
      { channel: 'email', target: 'east@corp.cn' },
    ]);
  });

  it('sends an immediate-tier event to the digest while a higher-tier event is unacknowledged', () => {
    const routes = routeEvent({ tier: 'high', type: 'abnormal_operations.listed' }, [], routing, { higherTierOutstanding: true });
    expect(routes).toEqual([
      { channel: 'webhook', target: 'erp' },
      { channel: 'email_digest', target: 'credit@corp.cn' },
    ]);
  });
});
