import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../../src/providers/mock/control-access.js';

describe('isLoopbackAddress (the mock provider\'s control API answers these peers only)', () => {
  it.each(['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '::ffff:127.0.0.1'])('%s is loopback', (address) => {
    expect(isLoopbackAddress(address)).toBe(true);
  });

  it.each(['192.0.2.2', '10.0.0.1', '0.0.0.0', '::', 'fd00::2', '::ffff:192.0.2.2', '128.0.0.1', '127.0.0.1.evil', undefined])('%s is not', (address) => {
    expect(isLoopbackAddress(address)).toBe(false);
  });
});
