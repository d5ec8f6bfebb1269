// A private PostgreSQL 15 cluster for benchmarks, started the way test/helpers/postgres-server.ts
// does (that file is TypeScript, and Node 20 cannot run it unbuilt): initdb into a temporary
// directory, a free port on 127.0.0.1, a password role owning one database. As root, initdb and
// postgres run as the `postgres` user through setpriv. Durable (fsync on): figures are production's.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

function run(argv, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${argv[0]} exited ${code}: ${output.slice(-800)}`))));
  });
}

async function asServerUser() {
  if (process.getuid?.() !== 0) return { prefix: [], chown: () => {} };
  const uid = Number((await run(['id', '-u', 'postgres'], '/')).trim());
  const gid = Number((await run(['id', '-g', 'postgres'], '/')).trim());
  return { prefix: ['/usr/bin/setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'], chown: (path) => chownSync(path, uid, gid) };
}

/** Starts the cluster; resolves with `{ url, stop() }`. */
export async function startPostgres({ log = () => {} } = {}) {
  if (!existsSync(join(BIN, 'postgres'))) throw new Error(`${BIN}/postgres not found (apt-get install postgresql-15)`);
  const user = await asServerUser();
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-pg-'));
  const data = join(dir, 'data');
  user.chown(dir);
  const pwfile = join(dir, 'pw');
  const password = randomBytes(12).toString('hex');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  user.chown(pwfile);
  await run([...user.prefix, join(BIN, 'initdb'), '-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8',
    '--auth-local=trust', '--auth-host=scram-sha-256'], dir);
  const port = await freePort();
  // --pdeathsig: the server gets SIGQUIT (immediate shutdown) if the bench dies without stopping it.
  const argv = [...(user.prefix.length > 0 ? [...user.prefix.slice(0, -1), '--pdeathsig', 'QUIT', '--'] : []), join(BIN, 'postgres'),
    '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'logging_collector=off'];
  const server = spawn(argv[0], argv.slice(1), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let serverLog = '';
  server.stderr.on('data', (c) => (serverLog = (serverLog + c).slice(-4000)));
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const status = existsSync(join(data, 'postmaster.pid')) ? readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() : undefined;
    if (status === 'ready') break;
    if (server.exitCode !== null) throw new Error(`postgres exited: ${serverLog}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  const psql = (sql) => run([join(BIN, 'psql'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', sql], dir);
  await psql(`CREATE ROLE credit_monitor LOGIN PASSWORD '${password}'`);
  await psql('CREATE DATABASE credit_monitor OWNER credit_monitor');
  log(`PostgreSQL 15 on 127.0.0.1:${port} (durable, default settings)`);
  return {
    url: `postgres://credit_monitor:${password}@127.0.0.1:${port}/credit_monitor`,
    stop: async () => {
      server.kill('SIGINT');
      if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
