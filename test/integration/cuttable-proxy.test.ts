/** The loopback stand-in for a partition (test helper): silence while cut, everything held back delivered after. */
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCuttableProxy, type CuttableProxy } from '../helpers/cuttable-proxy.js';
import { pollUntil } from '../helpers/poll-until.js';

describe('cuttable TCP proxy (test helper)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function echoBehindProxy(): Promise<{ proxy: CuttableProxy; connections: () => number }> {
    let connections = 0;
    const sockets = new Set<Socket>();
    const echo: Server = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.pipe(socket);
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const address = echo.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    const proxy = await startCuttableProxy({ host: '127.0.0.1', port: address.port });
    cleanups.push(async () => {
      await proxy.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => echo.close(resolve));
    });
    return { proxy, connections: () => connections };
  }

  async function client(port: number): Promise<{ socket: Socket; text: () => string }> {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    await once(socket, 'connect');
    cleanups.push(() => {
      socket.destroy();
      return Promise.resolve();
    });
    return { socket, text: () => text };
  }

  it('forwards both ways, is silent while cut, and delivers what it held back after restore', async () => {
    const { proxy, connections } = await echoBehindProxy();
    const held = await client(proxy.port);
    held.socket.write('before;');
    await pollUntil(() => held.text() === 'before;', { what: 'the echo before the cut' });

    proxy.cut();
    held.socket.write('during;');
    // A new connection is accepted but reaches nothing: no error, no answer.
    const fresh = await client(proxy.port);
    fresh.socket.write('fresh;');
    // Both writes reached the proxy, which keeps them: nothing went on to the server or back.
    await pollUntil(() => proxy.heldBytes() === 'during;fresh;'.length, { what: 'the proxy holding both writes' });
    expect([held.text(), fresh.text(), connections()]).toEqual(['before;', '', 1]);

    proxy.restore();
    await pollUntil(() => held.text() === 'before;during;' && fresh.text() === 'fresh;', { what: 'the held-back echoes' });
    held.socket.write('after;');
    await pollUntil(() => held.text() === 'before;during;after;', { what: 'the echo after the restore' });
  });
});
