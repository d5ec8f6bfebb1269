/**
 * The network-namespace helper, on the real kernel. No skip when namespaces are unavailable: CI runs
 * as root, where they are, so an unavailable machine is a failure that names its reason.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostNetwork, netnsAvailable, removeStaleNetworks, type HostNetwork } from '../helpers/netns.js';
import { pollUntil } from '../helpers/poll-until.js';
import { startPostgresServer } from '../helpers/postgres-server.js';
import { startRedisServer } from '../helpers/redis-server.js';

const ECHO_PORT = 7000;

/** A TCP echo server inside `host`; resolves once it listens. */
async function startEcho(network: HostNetwork, host: string): Promise<ChildProcess> {
  const script = `require('node:net').createServer((s) => s.pipe(s)).listen(${ECHO_PORT}, process.argv[1], () => console.log('listening'))`;
  const server = network.spawn(host, process.execPath, ['-e', script, network.address(host)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await nextLine(server, 'the echo server listening');
  return server;
}

/** A line client inside `host`: stdin lines go to the echo server, echoed lines come back on stdout. */
async function startLineClient(network: HostNetwork, host: string, target: string): Promise<{ send: (line: string) => void; lines: string[] }> {
  const script = `const s = require('node:net').connect(${ECHO_PORT}, process.argv[1], () => console.log('connected'));
    s.setNoDelay(true); process.stdin.pipe(s); s.pipe(process.stdout); s.on('error', (e) => { console.error(e.code); process.exit(4); });`;
  const client = network.spawn(host, process.execPath, ['-e', script, target], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  createInterface({ input: client.stdout! }).on('line', (line) => lines.push(line));
  await pollUntil(() => lines.includes('connected'), { timeoutMs: 10_000, what: `the client in ${host} connected to ${target}` });
  return { send: (line) => client.stdin!.write(`${line}\n`), lines };
}

/** Exit code of a fresh connect from `host`: 0 connected, 3 no answer within `timeoutMs`, 4 refused or unreachable. */
async function tryConnect(network: HostNetwork, host: string, target: string, timeoutMs: number): Promise<number | null> {
  const script = `const s = require('node:net').connect(${ECHO_PORT}, process.argv[1], () => process.exit(0));
    s.setTimeout(${timeoutMs}, () => process.exit(3)); s.on('error', () => process.exit(4));`;
  return (await network.run(host, process.execPath, ['-e', script, target])).code;
}

function nextLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      reject(new Error(`${what}: exited (${String(code)}) first`));
    });
  });
}

function namespacesNow(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((line) => line.split(' ')[0] ?? '');
}

function linkExists(name: string): boolean {
  try {
    execFileSync('ip', ['link', 'show', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('network namespaces (test helper)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function network(hosts: readonly string[]): Promise<HostNetwork> {
    const created = await createHostNetwork(hosts);
    cleanups.push(() => created.teardown());
    return created;
  }

  it('are available on this machine (CI runs as root; if not, this is the reason)', () => {
    expect(netnsAvailable()).toEqual({ ok: true });
  });

  it('gives each host its own address, and hosts (and this process) reach each other over TCP', async () => {
    const net = await network(['a', 'b']);
    expect(net.subnet).toMatch(/^10\.(2[0-4]\d|25[0-4])\.\d{1,3}\.0\/24$/);
    expect([net.rootAddress, net.address('a'), net.address('b')]).toEqual(['.1', '.2', '.3'].map((end) => net.subnet.replace('.0/24', end)));
    const shown = await net.run('a', 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0']);
    expect(shown.stdout).toContain(`inet ${net.address('a')}/24`);

    await startEcho(net, 'a');
    const client = await startLineClient(net, 'b', net.address('a'));
    client.send('hello from b');
    await pollUntil(() => client.lines.includes('hello from b'), { what: 'the echo to b' });

    // The test process itself is on the network too.
    const fromRoot = await new Promise<string>((resolve, reject) => {
      const socket = connect(ECHO_PORT, net.address('a'), () => socket.end('hello from root\n'));
      socket.on('data', (data) => {
        resolve(data.toString('utf8').trim());
      });
      socket.on('error', reject);
    });
    expect(fromRoot).toBe('hello from root');
    // A host's namespace is its own: b does not see a's listening socket on its loopback.
    expect(await tryConnect(net, 'b', '127.0.0.1', 2_000)).toBe(4);
  });

  it('cut stops traffic both ways, restore resumes it, and a connection held across the cut survives', async () => {
    const net = await network(['a', 'b', 'c']);
    await startEcho(net, 'a');
    const client = await startLineClient(net, 'b', net.address('a'));
    client.send('before');
    await pollUntil(() => client.lines.includes('before'), { what: 'the echo before the cut' });

    await net.cut('b');
    client.send('during');
    // A bounded wait for something that must not happen; normally the echo takes well under 1 ms.
    // Fresh connects both ways get no answer at all: a silent loss, not a quick local error.
    expect(await tryConnect(net, 'b', net.address('a'), 1_000)).toBe(3);
    expect(await tryConnect(net, 'a', net.address('b'), 1_000)).toBe(3);
    expect(client.lines).not.toContain('during');
    // Only b is cut: a still reaches c (nothing listens there, so c's refusal is the answer).
    expect(await tryConnect(net, 'a', net.address('c'), 1_000)).toBe(4);

    await net.restore('b');
    // The held connection delivers what was written during the cut at TCP's next retransmission.
    await pollUntil(() => client.lines.includes('during'), { timeoutMs: 15_000, what: 'the echo written during the cut' });
    expect(await tryConnect(net, 'b', net.address('a'), 5_000)).toBe(0);
    client.send('after');
    await pollUntil(() => client.lines.includes('after'), { what: 'the echo after the restore' });
  });

  it('runs PostgreSQL in one namespace for a client in another (the multi-host layout)', async () => {
    const net = await network(['db', 'w1']);
    const server = await startPostgresServer({ host: net.address('db'), commandPrefix: net.execPrefix('db') });
    cleanups.push(() => server.stop());
    expect(server.url).toContain(`@${net.address('db')}:${server.port}/`);
    const fromWorker = await net.run('w1', '/usr/bin/psql', ['-X', '-A', '-t', '-d', server.url, '-c', 'SELECT inet_client_addr()']);
    expect(fromWorker.stderr).toBe('');
    expect(fromWorker.stdout.trim()).toBe(net.address('w1'));
    // Its unix socket is on the shared file system, so setup works from here whatever the network does.
    await net.cut('db');
    expect(await server.psql('SELECT 1')).toBe('1');
    await net.restore('db');
  });

  it('runs redis-server in one namespace for a client in another, and kill/restart work through the prefix', async () => {
    const net = await network(['redis', 'w1']);
    const server = await startRedisServer({ host: net.address('redis'), commandPrefix: net.execPrefix('redis') });
    cleanups.push(() => server.stop());
    expect(server.url).toBe(`redis://${net.address('redis')}:${server.port}`);
    const ask = (command: string) => net.run('w1', 'redis-cli', ['-h', net.address('redis'), '-p', String(server.port), command]);
    expect((await ask('PING')).stdout.trim()).toBe('PONG');
    // The server is bound to its host's address only: not on this namespace's loopback.
    expect((await net.run('redis', 'redis-cli', ['-h', '127.0.0.1', '-p', String(server.port), 'PING'])).stdout).not.toContain('PONG');
    await server.kill();
    expect((await ask('PING')).stdout.trim()).not.toBe('PONG');
    await server.restart();
    expect((await ask('PING')).stdout.trim()).toBe('PONG');
  });

  it('teardown kills the hosts\' processes and leaves no namespace or link behind, and is idempotent', async () => {
    const net = await createHostNetwork(['a', 'b', 'c']);
    const echo = await startEcho(net, 'a');
    // A process started around the helper (as a server helper does with execPrefix) is found too.
    const [command, ...prefix] = net.execPrefix('c');
    const stray = spawn(command!, [...prefix, 'sleep', '600'], { stdio: 'ignore' });
    await pollUntil(() => execFileSync('ip', ['netns', 'pids', net.hosts.c!.netns], { encoding: 'utf8' }).trim() !== '', { what: 'sleep running in c' });
    const names = [net.id, ...Object.values(net.hosts).map((host) => host.netns)];
    expect(namespacesNow()).toEqual(expect.arrayContaining(names));
    const rootLink = net.id.replace(/^cmnet-/, 'cmn');
    expect(linkExists(rootLink)).toBe(true);

    const exits = [echo, stray].map((child) => new Promise((resolve) => {
      child.once('exit', (_code, signal) => {
        resolve(signal);
      });
    }));
    await Promise.all([net.teardown(), net.teardown()]);
    expect(await Promise.all(exits)).toEqual(['SIGKILL', 'SIGKILL']);
    expect(namespacesNow().filter((name) => name.startsWith(net.id))).toEqual([]);
    expect(linkExists(rootLink)).toBe(false);
    await net.teardown();
  });

  it('removes what a crashed run left behind (its pid is dead), and nothing of a live run', async () => {
    const live = await network(['a']);
    // A run that died without cleaning up: its namespaces and root link carry a pid no process has.
    const deadPid = Number(execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).trim());
    const crashed = [`cmnet-${deadPid}-dead`, `cmnet-${deadPid}-dead-w1`];
    for (const name of crashed) execFileSync('ip', ['netns', 'add', name]);
    execFileSync('ip', ['link', 'add', `cmn${deadPid}-dead`, 'type', 'veth', 'peer', 'name', 'up0', 'netns', crashed[0]!]);

    expect(removeStaleNetworks().sort()).toEqual([...crashed, `cmn${deadPid}-dead`].sort());
    expect(namespacesNow().filter((name) => name.startsWith(`cmnet-${deadPid}-`))).toEqual([]);
    expect(linkExists(`cmn${deadPid}-dead`)).toBe(false);
    expect(namespacesNow()).toEqual(expect.arrayContaining([live.id, live.hosts.a!.netns]));
  });
});
