/**
 * Processes "as if on separate hosts": one network namespace per host, each with an `eth0` on a
 * private /24, all plugged into one switch (a bridge in its own namespace), and this test process
 * plugged in too (the root namespace's end gets `.1`), so a test can reach every host directly.
 *
 *   root ns: cmn<pid>-<hex>  10.x.y.1 ─┐
 *   host w1: eth0            10.x.y.2 ─┼─ switch ns: br0
 *   host db: eth0            10.x.y.3 ─┘
 *
 * `cut(host)` unplugs the host's cable at the switch: its own link stays up, so what it sends is
 * silently lost (TCP retransmits, connects time out), like a real partition, not a quick local
 * "network unreachable". `restore(host)` plugs it back in.
 *
 * Needs root and iproute2 (`ip`); ask {@link netnsAvailable} first, and when it says no, say so
 * and fall back to loopback: never pass silently. Every name starts with `cmnet-<pid>-<hex>` (the
 * root link with `cmn<pid>-<hex>`), so `teardown()` removes exactly this run's, an exit hook does
 * the same if a test forgets, and {@link removeStaleNetworks} (run by every create) removes what a
 * crashed run (its pid dead) left behind.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { FAMILY, ip, netnsAvailable, removeNamespaces, removeStaleNetworks } from './netns-commands.js';

export { netnsAvailable, removeStaleNetworks, type NetnsProbe } from './netns-commands.js';

const HOST_NAME = /^[a-z][a-z0-9]{0,9}$/;

export interface NetnsHost {
  /** The name given to createHostNetwork, e.g. `w1`. */
  readonly name: string;
  /** The network namespace, e.g. `cmnet-4242-9f3a-w1`. */
  readonly netns: string;
  /** Its IPv4 address on the network, e.g. `10.213.7.2`. */
  readonly address: string;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface HostNetwork {
  /** `cmnet-<pid>-<hex>`: the prefix of every namespace of this network (and the switch's name). */
  readonly id: string;
  /** The private /24, e.g. `10.213.7.0/24`. */
  readonly subnet: string;
  /** This test process's own address on the network (the root namespace's end of its cable). */
  readonly rootAddress: string;
  readonly hosts: Readonly<Record<string, NetnsHost>>;
  /** The host's IPv4 address; throws for a host that is not on this network. */
  address(host: string): string;
  /** `['ip', 'netns', 'exec', <netns>]`: put before an argv to run it inside `host` (e.g. a server helper's commandPrefix). */
  execPrefix(host: string): string[];
  /** Spawns `command` inside `host`; the child is SIGKILLed by `teardown()` if still running. */
  spawn(host: string, command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Runs `command` inside `host` to completion (killed after `timeoutMs`, default 30000). */
  run(host: string, command: string, args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  /** Unplugs `host` at the switch: it reaches no one and no one reaches it, until `restore()`. */
  cut(host: string): Promise<void>;
  /** Plugs `host` back in; connections that survived the cut resume at TCP's next retransmission. */
  restore(host: string): Promise<void>;
  /** Kills every process in the namespaces, removes them and the root link. Idempotent. */
  teardown(): Promise<void>;
}

/** Two prefixes overlap when they agree on the shorter one's bits. */
function overlaps(a: string, b: string): boolean {
  const parse = (cidr: string): [number, number] => {
    const [address = '', length = '32'] = cidr.split('/');
    const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
    return [value, Number(length)];
  };
  const [valueA, lengthA] = parse(a);
  const [valueB, lengthB] = parse(b);
  const shift = 32 - Math.min(lengthA, lengthB);
  return Math.floor(valueA / 2 ** shift) === Math.floor(valueB / 2 ** shift);
}

/** A random 10.200-254.x.0/24 that no route of this machine (nor another run's network) overlaps. */
function pickSubnet(): string {
  const routes = (JSON.parse(ip(['-j', '-4', 'route', 'show', 'table', 'all'])) as Array<{ dst: string }>)
    .map((route) => route.dst)
    .filter((dst) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(dst));
  for (let attempt = 0; attempt < 100; attempt++) {
    const subnet = `10.${randomInt(200, 255)}.${randomInt(0, 256)}.0/24`;
    if (!routes.some((dst) => overlaps(dst, subnet))) return subnet;
  }
  throw new Error('createHostNetwork: no free 10.200-254.x.0/24 subnet found');
}

const live = new Map<string, () => void>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous, and so is every ip call here.
  process.once('exit', () => {
    for (const teardown of live.values()) teardown();
  });
}

/**
 * Builds a network with one namespace per host name (`[a-z][a-z0-9]{0,9}`), addressed `.2`, `.3`, …
 * in the order given. Throws, with the reason, where {@link netnsAvailable} says no.
 */
export function createHostNetwork(hostNames: readonly string[]): Promise<HostNetwork> {
  for (const name of hostNames) {
    if (!HOST_NAME.test(name)) throw new Error(`createHostNetwork: host name "${name}" must match ${String(HOST_NAME)}`);
  }
  if (new Set(hostNames).size !== hostNames.length) throw new Error('createHostNetwork: host names must be unique');
  if (hostNames.length > 250) throw new Error('createHostNetwork: a /24 holds at most 250 hosts here');
  removeStaleNetworks();
  const availability = netnsAvailable();
  if (!availability.ok) throw new Error(`createHostNetwork: network namespaces are not available here: ${availability.reason}`);
  installExitHook();

  const tag = randomBytes(2).toString('hex');
  const id = `${FAMILY}${process.pid}-${tag}`;
  const rootLink = `cmn${process.pid}-${tag}`;
  const subnet = pickSubnet();
  const base = subnet.replace(/\.0\/24$/, '');
  const hosts: Record<string, NetnsHost> = Object.fromEntries(
    hostNames.map((name, index) => [name, { name, netns: `${id}-${name}`, address: `${base}.${index + 2}` }]),
  );
  const created: string[] = [];
  const children = new Set<ChildProcess>();
  const destroy = (): void => {
    live.delete(id);
    for (const child of children) child.kill('SIGKILL');
    removeNamespaces([...created].reverse(), rootLink);
  };
  live.set(id, destroy);

  try {
    ip(['netns', 'add', id]);
    created.push(id);
    ip(['-n', id, 'link', 'set', 'dev', 'lo', 'up']);
    ip(['-n', id, 'link', 'add', 'name', 'br0', 'type', 'bridge', 'forward_delay', '0']);
    ip(['-n', id, 'link', 'set', 'dev', 'br0', 'up']);
    ip(['link', 'add', 'name', rootLink, 'type', 'veth', 'peer', 'name', 'up0', 'netns', id]);
    ip(['-n', id, 'link', 'set', 'dev', 'up0', 'master', 'br0', 'up']);
    ip(['addr', 'add', `${base}.1/24`, 'dev', rootLink]);
    ip(['link', 'set', 'dev', rootLink, 'up']);
    for (const host of Object.values(hosts)) {
      ip(['netns', 'add', host.netns]);
      created.push(host.netns);
      ip(['-n', host.netns, 'link', 'set', 'dev', 'lo', 'up']);
      ip(['-n', id, 'link', 'add', 'name', `p-${host.name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
      ip(['-n', id, 'link', 'set', 'dev', `p-${host.name}`, 'master', 'br0', 'up']);
      ip(['-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
      ip(['-n', host.netns, 'link', 'set', 'dev', 'eth0', 'up']);
    }
  } catch (error) {
    destroy();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  const hostOf = (name: string): NetnsHost => {
    const host = hosts[name];
    if (host === undefined) throw new Error(`host "${name}" is not on network ${id} (hosts: ${hostNames.join(', ')})`);
    return host;
  };
  const spawnIn = (name: string, command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess => {
    const child = spawn('ip', ['netns', 'exec', hostOf(name).netns, command, ...args], options);
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  };
  let tornDown: Promise<void> | undefined;

  return Promise.resolve({
    id,
    subnet,
    rootAddress: `${base}.1`,
    hosts,
    address: (name) => hostOf(name).address,
    execPrefix: (name) => ['ip', 'netns', 'exec', hostOf(name).netns],
    spawn: spawnIn,
    run: (name, command, args, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const child = spawnIn(name, command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
        let stdout = '';
        let stderr = '';
        child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.once('error', reject);
        child.once('close', (code) => {
          resolve({ code, stdout, stderr });
        });
      }),
    cut: (name) => {
      ip(['-n', id, 'link', 'set', 'dev', `p-${hostOf(name).name}`, 'nomaster']);
      return Promise.resolve();
    },
    restore: (name) => {
      ip(['-n', id, 'link', 'set', 'dev', `p-${hostOf(name).name}`, 'master', 'br0']);
      return Promise.resolve();
    },
    teardown: () => {
      tornDown ??= (async () => {
        const running = [...children].filter((child) => child.exitCode === null && child.signalCode === null);
        await Promise.all(running.map((child) => new Promise<void>((resolve) => {
          child.once('exit', () => {
            resolve();
          });
          child.kill('SIGKILL');
        })));
        destroy();
      })();
      return tornDown;
    },
  });
}
