import type { Command } from 'commander';
import { checkTokenName, issueToken, toApiTokenView, type ApiTokenView } from '../app/api-tokens.js';
import { isRole, ROLES, type Role } from '../domain/api-tokens.js';
import type { Language } from '../domain/grades.js';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';

const WORDS = {
  'zh-CN': {
    roles: { viewer: '只读', analyst: '分析', admin: '管理' },
    once: '令牌只显示这一次，请立即妥善保存（系统只保存其散列值，无法找回）。',
    created: '创建', lastUsed: '最近使用', never: '从未', revoked: '已吊销', active: '有效',
    count: (n: number) => `共 ${n} 个令牌`,
    revokedDone: (name: string) => `令牌 ${name} 已吊销`,
  },
  en: {
    roles: { viewer: 'viewer', analyst: 'analyst', admin: 'admin' },
    once: 'The token is shown only this once: store it safely now (only its hash is kept; it cannot be shown again).',
    created: 'created', lastUsed: 'last used', never: 'never', revoked: 'revoked', active: 'active',
    count: (n: number) => `${n} token(s)`,
    revokedDone: (name: string) => `token ${name} revoked`,
  },
} as const;

export function registerTokensCommand(program: Command, ctx: CliContext): void {
  const tokens = program.command('tokens').description('API and console tokens (令牌): create, list, revoke');
  const words = () => WORDS[ctx.config().language];

  tokens
    .command('create')
    .description('create a token; it is printed once and stored only as a hash')
    .requiredOption('--name <name>', 'a unique name: 1-64 letters, digits, ".", "_" or "-"')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--json', 'one JSON document')
    .action(async (opts: { name: string; role: string; json?: boolean }) => {
      const role = roleOption(opts.role);
      checkTokenName(opts.name);
      const { repos } = await ctx.store();
      const { token, record } = await issueToken(opts.name, role, { tokens: repos.tokens, clock: () => ctx.clock() });
      await repos.auditLog.record({ actor: ctx.actor, action: 'tokens.create', subject: record.name, details: { id: record.id, role } }, record.createdAt);
      ctx.err(words().once);
      const view = toApiTokenView(record);
      ctx.out(opts.json ? JSON.stringify({ token, name: view.name, role: view.role, id: view.id, createdAt: view.createdAt }) : token);
    });

  tokens
    .command('list')
    .description('every token, newest first, revoked ones too (never a secret)')
    .option('--json', 'one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const views = (await (await ctx.store()).repos.tokens.list()).map(toApiTokenView);
      if (opts.json) {
        ctx.out(JSON.stringify({ tokens: views }));
        return;
      }
      const w = words();
      for (const view of views) ctx.out(tokenLine(view, w));
      ctx.out(w.count(views.length));
    });

  tokens
    .command('revoke')
    .description('revoke a token by name: it signs in no more (its row stays for the audit trail)')
    .argument('<name>', 'the token name (from "tokens list")')
    .action(async (name: string) => {
      const { repos } = await ctx.store();
      const record = await repos.tokens.revoke(name, ctx.clock());
      if (record === undefined) throw new AppError('NOT_FOUND', `no token named ${JSON.stringify(name)} that is not revoked (see "credit-monitor tokens list")`);
      await repos.auditLog.record({ actor: ctx.actor, action: 'tokens.revoke', subject: record.name, details: { id: record.id } }, record.revokedAt ?? ctx.clock());
      ctx.out(words().revokedDone(record.name));
    });
}

function tokenLine(view: ApiTokenView, w: (typeof WORDS)[Language]): string {
  const state = view.revokedAt === null ? w.active : `${w.revoked} ${view.revokedAt}`;
  return `${view.name}  ${view.role.padEnd(7)} ${w.roles[view.role]}  ${w.created} ${view.createdAt}  ${w.lastUsed} ${view.lastUsedAt ?? w.never}  ${state}`;
}

function roleOption(value: string): Role {
  if (!isRole(value)) throw new AppError('USAGE', `--role ${JSON.stringify(value)}: expected one of ${ROLES.join(', ')}`);
  return value;
}
