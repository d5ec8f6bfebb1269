/**
 * The `ip` commands under netns.ts, and the parts that need no network of their own: whether this
 * machine allows namespaces at all, and the removal of what crashed runs left behind. Names: every
 * namespace starts with `cmnet-<pid>-<hex>`, the root namespace's link is `cmn<pid>-<hex>`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export type NetnsProbe = { ok: true } | { ok: false; reason: string };

export const FAMILY = 'cmnet-';
const OWN_NAMESPACE = /^cmnet-(\d+)-[0-9a-f]{4}(?:-[a-z][a-z0-9]*)?$/;
const OWN_ROOT_LINK = /^cmn(\d+)-[0-9a-f]{4}$/;

/** Runs `ip` synchronously; throws one line naming the command and ip's own message. */
export function ip(args: readonly string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    const reason = stderr === '' ? (error as Error).message : stderr.split('\n').join(' | ');
    throw new Error(`ip ${args.join(' ')} failed: ${reason}`, { cause: error });
  }
}

/** The same, for cleanup: a name that is already gone is fine. */
function ipQuietly(args: readonly string[]): void {
  try {
    ip(args);
  } catch {
    // Already removed (an earlier teardown, or the kernel tore the pair down with its namespace).
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function namespaces(): string[] {
  // `ip netns list` prints "name" or "name (id: 3)", one a line.
  return ip(['netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '').filter((name) => name !== '');
}

function rootLinks(): string[] {
  const links = JSON.parse(ip(['-j', 'link', 'show'])) as Array<{ ifname: string }>;
  return links.map((link) => link.ifname);
}

/** SIGKILLs every process inside `netns` (a namespace lives on while a process is in it). */
function killProcessesIn(netns: string): void {
  let pids: string[];
  try {
    pids = ip(['netns', 'pids', netns]).split('\n').filter((pid) => pid !== '');
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
}

export function removeNamespaces(names: readonly string[], rootLink: string | undefined): void {
  for (const name of names) killProcessesIn(name);
  // Deleting a namespace frees its links asynchronously; delete the root end now so none lingers.
  if (rootLink !== undefined) ipQuietly(['link', 'del', rootLink]);
  for (const name of names) ipQuietly(['netns', 'del', name]);
}

/**
 * Removes namespaces and root links left by runs whose process is gone (a crash, a SIGKILL), and
 * returns their names. Never touches a live run's, nor any name outside this helper's family.
 */
export function removeStaleNetworks(): string[] {
  if (process.getuid?.() !== 0) return [];
  const stale = (pattern: RegExp) => (name: string): boolean => {
    const pid = pattern.exec(name)?.[1];
    return pid !== undefined && !isAlive(Number(pid));
  };
  const links = rootLinks().filter(stale(OWN_ROOT_LINK));
  const spaces = namespaces().filter(stale(OWN_NAMESPACE));
  for (const link of links) ipQuietly(['link', 'del', link]);
  removeNamespaces(spaces, undefined);
  return [...links, ...spaces];
}

let probed: NetnsProbe | undefined;

/** Whether this machine lets us build a network: root, `ip` present, and a trial namespace with a bridge and a veth pair works. */
export function netnsAvailable(): NetnsProbe {
  probed ??= probe();
  return probed;
}

function probe(): NetnsProbe {
  const uid = process.getuid?.();
  if (uid !== 0) return { ok: false, reason: `not running as root (uid ${String(uid)}): network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN` };
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return { ok: false, reason: '`ip` not found: install iproute2 (apt-get install iproute2)' };
  }
  const trial = `${FAMILY}${process.pid}-${randomBytes(2).toString('hex')}-probe`;
  try {
    ip(['netns', 'add', trial]);
    ip(['-n', trial, 'link', 'add', 'name', 'br0', 'type', 'bridge']);
    ip(['-n', trial, 'link', 'add', 'name', 'vtrial0', 'type', 'veth', 'peer', 'name', 'vtrial1']);
    ip(['-n', trial, 'link', 'set', 'dev', 'vtrial0', 'master', 'br0', 'up']);
    execFileSync('ip', ['netns', 'exec', trial, 'true'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    return { ok: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer | string }).stderr?.toString().trim();
    return { ok: false, reason: `a trial namespace failed: ${stderr !== undefined && stderr !== '' ? stderr : (error as Error).message}` };
  } finally {
    removeNamespaces([trial], undefined);
  }
}
