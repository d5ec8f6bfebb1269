import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { findExecutable, resolveRedis, type ResolvedRedis } from '../../src/jobs/embedded-redis.js';
import { pingRedis, redisProcessId } from '../../src/jobs/ping-redis.js';
import { findFreePort, startRedisServer } from '../helpers/redis-server.js';

const PATH = process.env.PATH ?? '';
const logger = pino({ level: 'silent' });

describe('resolveRedis', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'cm-embedded-'));
    cleanups.push(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    return dir;
  }
  /** A raw TCP listener on `port` that this test closes for good, open sockets included. */
  async function listenRaw(port: number, onSocket: (socket: Socket) => void): Promise<void> {
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      onSocket(socket);
    });
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    cleanups.push(async () => {
      const closed = new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      });
      for (const socket of sockets) socket.destroy();
      await closed;
    });
  }
  function track(resolved: ResolvedRedis): ResolvedRedis {
    cleanups.push(() => resolved.stop());
    return resolved;
  }

  it('uses REDIS_URL as is, without probing or starting anything', async () => {
    const resolved = await resolveRedis({ redisUrl: 'redis://:secret@redis.invalid:6380', dataDir: tempDir(), logger, searchPath: '' });
    expect(resolved).toMatchObject({ url: 'redis://:secret@redis.invalid:6380', source: 'configured' });
    await resolved.stop();
  });

  it('uses a Redis that already answers on the port', async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.stop());
    const resolved = track(await resolveRedis({ logger, port: server.port, dataDir: tempDir(), searchPath: '' }));
    expect(resolved).toMatchObject({ url: `redis://127.0.0.1:${server.port}`, source: 'local' });
    await resolved.stop();
    expect(await pingRedis({ port: server.port })).toBe('+PONG'); // not ours: left running
    expect(await redisProcessId({ port: server.port })).toBeGreaterThan(0);
  });

  it('starts a persistent private server, which keeps data across a stop and start', async () => {
    const port = await findFreePort();
    const dataDir = join(tempDir(), 'redis');
    const first = track(await resolveRedis({ logger, port, dataDir, searchPath: PATH }));
    const password = readFileSync(join(dataDir, 'password'), 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(first).toMatchObject({ url: `redis://:${password}@127.0.0.1:${port}`, source: 'embedded' });

    const client = new Redis(first.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => undefined);
    cleanups.push(() => {
      client.disconnect();
    });
    await client.connect();
    expect(await client.call('CONFIG', 'GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await client.call('CONFIG', 'GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.call('CONFIG', 'GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    await client.set('kept', '1');
    client.disconnect();

    await first.stop();
    await first.stop(); // idempotent
    expect(await pingRedis({ port })).toBeUndefined();
    expect(existsSync(join(dataDir, 'redis.log'))).toBe(true);

    const second = track(await resolveRedis({ logger, port, dataDir, searchPath: PATH }));
    expect(second).toMatchObject({ url: `redis://:${password}@127.0.0.1:${port}`, source: 'embedded' }); // the same password
    const again = new Redis(second.url, { maxRetriesPerRequest: 1 });
    cleanups.push(() => {
      again.disconnect();
    });
    expect(await again.get('kept')).toBe('1');
  });

  describe('the embedded server is this install\'s alone', () => {
    it('its directory is 0700, its password, config and log files 0600; no password, no access; not on the command line', async () => {
      const port = await findFreePort();
      const dataDir = join(tempDir(), 'data', 'redis');
      const resolved = track(await resolveRedis({ logger, port, dataDir, searchPath: PATH }));
      const mode = (path: string): number => statSync(path).mode & 0o777;
      expect(mode(dataDir)).toBe(0o700);
      for (const file of ['password', 'redis.conf', 'redis.log']) expect(mode(join(dataDir, file)), file).toBe(0o600);
      const password = readFileSync(join(dataDir, 'password'), 'utf8').trim();

      // Another local user without the password (the file is not theirs to read) gets nothing.
      expect(await pingRedis({ port })).toMatch(/^-NOAUTH/);
      const stranger = new Redis({ port, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
      stranger.on('error', () => undefined);
      cleanups.push(() => {
        stranger.disconnect();
      });
      await stranger.connect();
      await expect(stranger.call('LPUSH', 'bull:scan:wait', 'x')).rejects.toThrow(/NOAUTH/);
      expect(await pingRedis({ port, password: 'guessedguessedguessed' })).toMatch(/^-NOAUTH/);

      const pid = await redisProcessId({ port, password });
      expect(pid).toBeGreaterThan(0);
      expect(readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')).not.toContain(password);
      await resolved.stop();
    });

    it('every other process of the install (the CLI: allowStart false) finds it with the password; another install cannot', async () => {
      const port = await findFreePort();
      const dataDir = join(tempDir(), 'redis');
      const worker = track(await resolveRedis({ logger, port, dataDir, searchPath: PATH }));
      const cli = await resolveRedis({ logger, port, dataDir, allowStart: false, searchPath: PATH });
      expect(cli).toMatchObject({ url: worker.url, source: 'local' });
      const client = new Redis(cli.url, { maxRetriesPerRequest: 1 });
      cleanups.push(() => {
        client.disconnect();
      });
      expect(await client.ping()).toBe('PONG');

      const otherInstall = tempDir();
      await expect(resolveRedis({ logger, port, dataDir: otherInstall, allowStart: false, searchPath: PATH })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`this install has none (${join(otherInstall, 'password')})`) as string,
      });
      writeFileSync(join(otherInstall, 'password'), 'abcdefabcdefabcdef\n', { mode: 0o600 });
      await expect(resolveRedis({ logger, port, dataDir: otherInstall, searchPath: PATH })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/password is not this install's/) as string,
      });
    });

    it('a data directory left open by an older version is closed (0700) at the next start', async () => {
      const port = await findFreePort();
      const dataDir = join(tempDir(), 'redis');
      mkdirSync(dataDir, { mode: 0o755 });
      chmodSync(dataDir, 0o755);
      writeFileSync(join(dataDir, 'redis.log'), '', { mode: 0o644 });
      chmodSync(join(dataDir, 'redis.log'), 0o644);
      track(await resolveRedis({ logger, port, dataDir, searchPath: PATH }));
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'redis.log')).mode & 0o777).toBe(0o600);
    });
  });

  it('refuses with one line naming the fixes when redis-server is not on PATH', async () => {
    const port = await findFreePort();
    const attempt = resolveRedis({ logger, port, dataDir: tempDir(), searchPath: tempDir() });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    const message = await attempt.then(
      () => '',
      (error: unknown) => (error as Error).message,
    );
    expect(message).not.toContain('\n');
    expect(message).toMatch(/apt-get install redis-server/);
    expect(message).toMatch(/brew install redis/);
    expect(message).toMatch(/REDIS_URL/);
  });

  it('does not start a server when told not to', async () => {
    const port = await findFreePort();
    await expect(resolveRedis({ logger, port, dataDir: tempDir(), searchPath: PATH, allowStart: false })).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
  });

  it('refuses a port held by something that is not Redis', async () => {
    const port = await findFreePort();
    await listenRaw(port, (socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    expect(await redisProcessId({ port })).toBeUndefined();
    await expect(resolveRedis({ logger, port, dataDir: tempDir(), searchPath: PATH })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/not Redis/),
    });
  });

  it('reports why the embedded server failed to start, naming its log file', async () => {
    // Accepts connections but never answers: the probe sees nothing, yet the port is taken.
    const port = await findFreePort();
    await listenRaw(port, () => undefined);
    const dataDir = tempDir();
    const attempt = resolveRedis({ logger, port, dataDir, searchPath: PATH });
    await expect(attempt).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
    const message = await attempt.then(() => '', (error: unknown) => (error as Error).message);
    expect(message).toMatch(/address already in use/i);
    expect(message).toContain(join(dataDir, 'redis.log'));
    expect(message).not.toContain('\n');
  });
});

describe('findExecutable', () => {
  it('finds the first executable file on the list, skipping empty entries, plain files and directories', () => {
    const root = mkdtempSync(join(tmpdir(), 'cm-path-'));
    try {
      const [plain, folder, good, later] = ['plain', 'folder', 'good', 'later'].map((name) => join(root, name)) as [string, string, string, string];
      for (const dir of [plain, folder, good, later]) mkdirSync(dir);
      writeFileSync(join(plain, 'redis-server'), '', { mode: 0o644 });
      mkdirSync(join(folder, 'redis-server'));
      for (const dir of [good, later]) writeFileSync(join(dir, 'redis-server'), '#!/bin/sh\n', { mode: 0o755 });
      const searchPath = ['', join(root, 'missing'), plain, folder, good, later].join(delimiter);
      expect(findExecutable('redis-server', searchPath)).toBe(join(good, 'redis-server'));
      expect(findExecutable('redis-server', '')).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
