import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/domain/api-tokens.js';
import { LANGS, type Lang } from '../../src/http/console/i18n.js';
import {
  importReportView,
  publicOrigin,
  renderCase,
  renderCases,
  renderCustomer,
  renderCustomers,
  renderError,
  renderImport,
  renderInbox,
  renderInboxRow,
  renderLogin,
  renderOverview,
  renderSettings,
  type PageContext,
} from '../../src/http/console/index.js';
import {
  CASE_DETAIL,
  CASES,
  context,
  CSRF,
  CUSTOMER,
  CUSTOMERS,
  EVENTS,
  HOSTILE,
  HOSTILE_ESCAPED,
  IMPORT,
  INBOX,
  OVERVIEW,
  RESOLVED_CASE,
  SETTINGS,
  USCC,
} from '../helpers/console-fixtures.js';
import { parseTags, postForms, type Tag } from '../helpers/html-tags.js';

const PAGES: Array<{ name: string; path: string; render: (ctx: PageContext) => string }> = [
  { name: 'overview', path: '/', render: (ctx) => renderOverview(ctx, OVERVIEW) },
  { name: 'inbox', path: '/inbox', render: (ctx) => renderInbox(ctx, INBOX) },
  { name: 'cases', path: '/cases', render: (ctx) => renderCases(ctx, CASES) },
  { name: 'open case', path: `/cases/${CASE_DETAIL.id}`, render: (ctx) => renderCase(ctx, CASE_DETAIL) },
  { name: 'resolved case', path: `/cases/${RESOLVED_CASE.id}`, render: (ctx) => renderCase(ctx, { ...CASE_DETAIL, ...RESOLVED_CASE }) },
  { name: 'customers', path: '/customers', render: (ctx) => renderCustomers(ctx, CUSTOMERS) },
  { name: 'customer', path: `/customers/${USCC}`, render: (ctx) => renderCustomer(ctx, CUSTOMER) },
  { name: 'import with report', path: '/import', render: (ctx) => renderImport(ctx, IMPORT) },
  { name: 'settings', path: '/settings', render: (ctx) => renderSettings(ctx, SETTINGS) },
  { name: 'error', path: '/nope', render: (ctx) => renderError(ctx, 404, HOSTILE) },
];

const CASES_BY_LANG_AND_ROLE = PAGES.flatMap((p) => LANGS.flatMap((lang) => ROLES.map((role) => ({ ...p, lang, role }))));

function render(name: string, lang: Lang, role: Role): { out: string; tags: Tag[] } {
  const entry = PAGES.find((p) => p.name === name)!;
  const out = entry.render(context(lang, role, entry.path));
  return { out, tags: parseTags(out) };
}

const open = (tags: readonly Tag[], name: string): Tag[] => tags.filter((t) => t.name === name && !t.closing);

/** Every field a person fills in has a <label for> (or is hidden). */
function unlabelledFields(tags: readonly Tag[]): string[] {
  const labelled = new Set(open(tags, 'label').map((t) => t.attrs.for));
  return tags
    .filter((t) => !t.closing && ['input', 'select', 'textarea'].includes(t.name) && t.attrs.type !== 'hidden')
    .filter((t) => t.attrs.id === undefined || !labelled.has(t.attrs.id))
    .map((t) => `${t.name} ${t.attrs.name ?? ''}`);
}

describe.each(CASES_BY_LANG_AND_ROLE)('$name ($lang, $role)', ({ path, render: renderPage, lang, role }) => {
  const out = renderPage(context(lang, role, path));
  const tags = parseTags(out);

  it('is a whole document in its language with only our own assets', () => {
    expect(out.startsWith('<!doctype html><html lang="')).toBe(true);
    expect(open(tags, 'html')[0]?.attrs.lang).toBe(lang);
    expect(open(tags, 'meta').some((t) => t.attrs.name === 'viewport')).toBe(true);
    expect(open(tags, 'script').map((t) => t.attrs)).toEqual([{ src: '/assets/htmx.min.js', defer: '' }]);
    expect(open(tags, 'link').map((t) => t.attrs.href)).toEqual(['/assets/console.css']);
    expect(open(tags, 'style')).toEqual([]);
    expect(tags.filter((t) => 'style' in t.attrs)).toEqual([]);
    for (const t of tags) for (const key of ['href', 'src', 'action']) expect(t.attrs[key] ?? '/').toMatch(/^(\/|\?|#)/);
  });

  it('escapes the hostile provider text everywhere', () => {
    expect(out).not.toContain(HOSTILE);
    expect(out).toContain(HOSTILE_ESCAPED);
    expect(open(tags, 'img')).toEqual([]);
    expect(tags.flatMap((t) => Object.keys(t.attrs)).filter((a) => a.startsWith('on'))).toEqual([]);
  });

  it('puts the CSRF token into every POST form and into htmx requests', () => {
    const forms = postForms(tags);
    expect(forms.length).toBeGreaterThan(0);
    for (const { form, inside } of forms) {
      const hidden = inside.filter((t) => t.name === 'input' && t.attrs.name === '_csrf');
      expect(hidden, form.attrs.action).toEqual([expect.objectContaining({ attrs: { type: 'hidden', name: '_csrf', value: CSRF } })]);
    }
    const body = open(tags, 'body')[0]!;
    expect(JSON.parse(body.attrs['hx-headers']!)).toEqual({ 'x-csrf-token': CSRF });
  });

  it('labels every field, names the signed-in token and role, and has a skip link', () => {
    expect(unlabelledFields(tags)).toEqual([]);
    expect(open(tags, 'a')[0]?.attrs).toEqual({ class: 'skip-link', href: '#main' });
    expect(open(tags, 'main')[0]?.attrs.id).toBe('main');
    expect(out).toContain(lang === 'en' ? `(${role})` : { viewer: '查看者', analyst: '分析员', admin: '管理员' }[role]);
    expect(postForms(tags).some((f) => f.form.attrs.action === '/logout')).toBe(true);
  });

  it('shows the buttons of its role only', () => {
    const actions = postForms(tags).map((f) => f.form.attrs.action!).filter((a) => a !== '/logout');
    const hxPosts = tags.filter((t) => t.attrs['hx-post'] !== undefined);
    if (role === 'viewer') {
      expect(actions).toEqual([]);
      expect(hxPosts).toEqual([]);
    }
    if (role !== 'admin') expect(actions).not.toContain('/import');
    expect(tags.some((t) => t.name === 'input' && t.attrs.type === 'file')).toBe(role === 'admin' && path === '/import');
  });
});

describe('what each role may press', () => {
  const actions = (name: string, role: Role): string[] =>
    postForms(render(name, 'zh-CN', role).tags)
      .map((f) => f.form.attrs.action!)
      .filter((a) => a !== '/logout');

  it.each([
    { name: 'inbox', analyst: ['/inbox/ack'] },
    { name: 'open case', analyst: [`/cases/${CASE_DETAIL.id}/ack`, `/cases/${CASE_DETAIL.id}/assign`, `/cases/${CASE_DETAIL.id}/resolve`] },
    { name: 'resolved case', analyst: [] },
    { name: 'customer', analyst: [`/customers/${USCC}/rescan`] },
    { name: 'import with report', analyst: [], admin: ['/import'] },
    { name: 'settings', analyst: [] },
  ])('$name', ({ name, analyst, admin }) => {
    expect(actions(name, 'viewer')).toEqual([]);
    expect(actions(name, 'analyst')).toEqual(analyst);
    expect(actions(name, 'admin')).toEqual(admin ?? analyst);
  });

  it('offers a per-row htmx acknowledge for unacknowledged events only, swapping the row', () => {
    const { tags } = render('inbox', 'zh-CN', 'analyst');
    const buttons = tags.filter((t) => t.attrs['hx-post'] !== undefined);
    expect(buttons.map((t) => t.attrs['hx-post'])).toEqual(['/events/e1/ack', '/events/e3/ack', '/events/e4/ack']);
    for (const b of buttons) expect(b.attrs).toMatchObject({ 'hx-target': 'closest tr', 'hx-swap': 'outerHTML', formaction: b.attrs['hx-post'] });
    const boxes = tags.filter((t) => t.name === 'input' && t.attrs.type === 'checkbox' && t.attrs.name === 'id');
    expect(boxes.map((t) => t.attrs.value)).toEqual(['e1', 'e3', 'e4']);
    expect(tags.some((t) => t.name === 'input' && t.attrs.name === 'note')).toBe(true);
  });
});

describe('inbox row', () => {
  const ctx = context('zh-CN', 'analyst', '/inbox');

  it('is one table row the htmx swap can replace', () => {
    const row = renderInboxRow(ctx, EVENTS[0]!);
    const tags = parseTags(row);
    expect(tags[0]).toMatchObject({ name: 'tr', attrs: { id: 'event-e1' } });
    expect(row.endsWith('</tr>')).toBe(true);
    expect(row).toContain('<span class="badge tier-critical">红色预警</span>');
    expect(row).toContain('被列入严重违法失信名单');
    expect(row).toContain(`href="/customers/${USCC}"`);
    expect(row).toContain('href="/cases/C-0123456789abcdef"');
    expect(row).toContain('<time datetime="2026-11-27T08:00:00.000Z">2026-11-27 16:00</time>');
  });

  it('once acknowledged shows who and when, without a button or a checkbox', () => {
    const acked = { ...EVENTS[0]!, acknowledgedAt: '2026-11-27T09:30:00.000Z', acknowledgedBy: 'ops' };
    const tags = parseTags(renderInboxRow(ctx, acked));
    expect(tags.filter((t) => t.name === 'button' || t.name === 'input')).toEqual([]);
    expect(renderInboxRow(ctx, acked)).toContain('ops 已确认');
    expect(renderInboxRow(ctx, acked)).toContain('2026-11-27 17:30');
  });

  it.each([
    { event: EVENTS[1]!, zh: ['法定代表人变更', '变更前', '变更后'], en: ['legal representative changed', 'Before', 'After'] },
    { event: EVENTS[2]!, zh: ['信用等级下调为风险', '良好', '风险'], en: ['credit grade lowered to risk', 'good', 'risk'] },
    { event: EVENTS[3]!, zh: ['登记状态变更为吊销', '存续', '首次读取'], en: ['registration status changed to revoked', 'active', 'baseline'] },
  ])('says what happened: $event.type', ({ event, zh, en }) => {
    for (const text of zh) expect(renderInboxRow(ctx, event)).toContain(text);
    for (const text of en) expect(renderInboxRow({ ...ctx, lang: 'en' }, event)).toContain(text);
  });
});

describe('page contents', () => {
  it('overview: numbers beside the bars, budget, cases and the warning in the page language', () => {
    const { out, tags } = render('overview', 'zh-CN', 'viewer');
    expect(out).toContain('近 24 小时');
    expect(out).toContain('<span class="num">30</span>');
    expect(open(tags, 'svg').length).toBe(20);
    expect(open(tags, 'svg').every((t) => t.attrs['aria-hidden'] === 'true')).toBe(true);
    expect(open(tags, 'meter')[0]?.attrs).toMatchObject({ max: '5000', value: '1234' });
    expect(out).toContain('1234 / 5000 次');
    expect(out).toContain('href="/cases?overdue=1"');
    expect(out).toContain('工作日历缺少2027年');
    expect(out).not.toContain('the working-day calendar');
    expect(out).toContain('href="/customers?state=failing"');
    const en = render('overview', 'en', 'viewer').out;
    expect(en).toContain('the working-day calendar has no data for 2027');
    expect(en).not.toContain('工作日历缺少');
    expect(renderOverview(context('en', 'viewer'), { ...OVERVIEW, providerCalls: { today: 7, dailyBudget: null }, calendarWarning: null })).toContain('7 calls (no budget)');
  });

  it('inbox: filters keep their values, the next page carries them and the cursor', () => {
    const { out, tags } = render('inbox', 'zh-CN', 'viewer');
    expect(open(tags, 'option').filter((t) => 'selected' in t.attrs).map((t) => t.attrs.value)).toEqual(['critical', 'all']);
    expect(open(tags, 'input').find((t) => t.attrs.name === 'uscc')?.attrs.value).toBe(HOSTILE);
    const next = open(tags, 'a').find((t) => t.attrs.rel === 'next');
    expect(new URLSearchParams(next!.attrs.href!.split('?')[1])).toEqual(new URLSearchParams({ tier: 'critical', state: 'all', uscc: HOSTILE, cursor: 'cursor-2' }));
    expect(out).toContain('共 40 条');
  });

  it('cases: provisional and overdue marks, the decision in words', () => {
    const { out } = render('cases', 'zh-CN', 'viewer');
    expect(out).toContain('已逾期');
    expect(render('resolved case', 'zh-CN', 'viewer').out).toContain('限制交易');
    expect(render('resolved case', 'en', 'viewer').out).toContain('restrict trading');
    const detail = render('open case', 'zh-CN', 'viewer').out;
    expect(detail).toContain('暂定');
    expect(detail).toContain('已发出逾期通知');
  });

  it('case: the resolve form has the four decisions and a required note', () => {
    const { tags } = render('open case', 'zh-CN', 'analyst');
    const form = postForms(tags).find((f) => f.form.attrs.action!.endsWith('/resolve'))!;
    const select = form.inside.find((t) => t.name === 'select');
    expect(select?.attrs.name).toBe('decision');
    expect(form.inside.filter((t) => t.name === 'option' && !t.closing).map((t) => t.attrs.value)).toEqual(['continue', 'restrict', 'suspend', 'terminate']);
    expect(form.inside.find((t) => t.name === 'textarea')?.attrs).toMatchObject({ name: 'note', required: '' });
    const out = render('open case', 'zh-CN', 'analyst').out;
    for (const label of ['继续合作', '限制交易', '暂停交易', '终止合作']) expect(out).toContain(label);
    const assign = postForms(tags).find((f) => f.form.attrs.action!.endsWith('/assign'))!;
    expect(assign.inside.find((t) => t.name === 'input' && t.attrs.name === 'assignee')?.attrs.value).toBe(HOSTILE);
  });

  it('customer: registration, lists, grade with its rule, strategy, timeline with before and after', () => {
    const { out } = render('customer', 'zh-CN', 'viewer');
    for (const text of ['工商登记', '吊销', '10000000 CNY', '严重违法失信名单', '经营异常名录', 'serious-violation-in-force', '预付款', '暂停接单', '跳过规则 penalties', '事件时间线', '变更前', '变更后', '信用等级下调为风险']) {
      expect(out).toContain(text);
    }
    expect(out).toContain(`href="/inbox?uscc=${USCC}&amp;state=all"`);
    const en = render('customer', 'en', 'viewer').out;
    for (const text of ['Registration', 'Trading strategy', 'prepayment', 'Timeline']) expect(en).toContain(text);
  });

  it('customers: grade, state and paging', () => {
    const { out, tags } = render('customers', 'zh-CN', 'viewer');
    expect(out).toContain('<span class="badge grade grade-risk">风险</span>');
    expect(out).toContain('连续失败 2 次');
    expect(out).toContain('已暂停');
    const next = open(tags, 'a').find((t) => t.attrs.rel === 'next');
    expect(new URLSearchParams(next!.attrs.href!.split('?')[1]).get('cursor')).toBe('c2');
  });

  it('import: counts per outcome and row messages in line order', () => {
    const { out } = render('import with report', 'zh-CN', 'admin');
    expect(out.indexOf('<td class="num">4</td>')).toBeLessThan(out.indexOf('<td class="num">7</td>'));
    expect(out).toContain('拒绝');
    expect(render('import with report', 'zh-CN', 'viewer').out).toContain('仅管理员可导入客户。');
  });

  it('import report: built from the import summary with the CLI messages', () => {
    const view = importReportView('a.csv', {
      encoding: 'gbk', imported: 1, created: 1, updated: 0, restored: 0, unchanged: 0,
      rejected: [{ line: 3, reason: 'line 3: uscc is required' }], duplicates: [], warnings: [{ line: 2, uscc: USCC, kind: 'check_digit_mismatch', reason: 'line 2: check digit mismatch' }],
    });
    expect(view.summary).toMatchObject({ imported: 1, rejected: 1, warnings: 1, duplicates: 0 });
    expect(view.rows).toEqual([
      { line: 3, kind: 'rejected', text: 'rejected line 3: uscc is required' },
      { line: 2, kind: 'warning', text: 'warning: line 2: check digit mismatch' },
    ]);
  });

  it('settings: no credential of any URL, in any language', () => {
    for (const lang of LANGS) {
      const out = renderSettings(context(lang, 'admin', '/settings'), SETTINGS);
      expect(out).not.toMatch(/canary|provider-pass|key=|token=/);
      expect(out).toContain('https://qyapi.weixin.qq.com/…');
      expect(out).toContain('https://open.feishu.cn/…');
      expect(out).toContain('https://open.api.tianyancha.com/…');
    }
    expect(renderSettings(context('zh-CN', 'admin'), SETTINGS)).toContain('黄色预警及以上');
  });

  it.each([
    { url: 'https://u:p@example.com:8443/x?y=1#z', out: 'https://example.com:8443/…' },
    { url: 'http://127.0.0.1:9000', out: 'http://127.0.0.1:9000' },
    { url: 'not a url', out: '—' },
    { url: 'javascript:alert(1)', out: '—' },
  ])('publicOrigin($url)', ({ url, out }) => {
    expect(publicOrigin(url)).toBe(out);
  });
});

describe('layout', () => {
  it('marks the current section and switches language keeping the query', () => {
    const tags = parseTags(renderCase(context('zh-CN', 'viewer', `/cases/${CASE_DETAIL.id}`), CASE_DETAIL));
    expect(open(tags, 'a').filter((t) => t.attrs['aria-current'] === 'page').map((t) => t.attrs.href)).toEqual(['/cases']);
    const other = open(tags, 'a').find((t) => t.attrs.class === 'lang-switch')!;
    expect(other.attrs).toMatchObject({ lang: 'en', hreflang: 'en' });
    const [path, query] = other.attrs.href!.split('?');
    expect(path).toBe(`/cases/${CASE_DETAIL.id}`);
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({ tier: 'critical', q: HOSTILE, lang: 'en' });
    const back = open(parseTags(renderCase(context('en', 'viewer', '/cases'), CASE_DETAIL)), 'a').find((t) => t.attrs.class === 'lang-switch')!;
    expect(new URLSearchParams(back.attrs.href!.split('?')[1]).get('lang')).toBe('zh-CN');
  });

  it('shows the notice as a status message', () => {
    expect(renderOverview(context('zh-CN', 'viewer'), OVERVIEW)).toContain(`<p class="notice" role="status">done ${HOSTILE_ESCAPED}</p>`);
  });
});

describe('pages before sign-in', () => {
  it.each(LANGS)('login (%s): one labelled password field, CSRF, the error escaped', (lang) => {
    const out = renderLogin({ lang, csrfToken: CSRF, error: HOSTILE });
    const tags = parseTags(out);
    const forms = postForms(tags);
    expect(forms.map((f) => f.form.attrs.action)).toEqual(['/login']);
    const fields = forms[0]!.inside.filter((t) => t.name === 'input');
    expect(fields.map((t) => t.attrs.type)).toEqual(['hidden', 'password']);
    expect(fields[0]!.attrs).toEqual({ type: 'hidden', name: '_csrf', value: CSRF });
    expect(unlabelledFields(tags)).toEqual([]);
    expect(out).not.toContain(HOSTILE);
    expect(out).toContain(lang === 'en' ? 'Access token' : '访问令牌');
    expect(open(tags, 'html')[0]?.attrs.lang).toBe(lang);
  });

  it.each([
    { status: 403, zh: '无权访问', en: 'Forbidden' },
    { status: 404, zh: '页面不存在', en: 'Not found' },
  ])('error $status without a session', ({ status, zh, en }) => {
    expect(renderError({ lang: 'zh-CN' }, status)).toContain(zh);
    const out = renderError({ lang: 'en' }, status, HOSTILE);
    expect(out).toContain(en);
    expect(out).not.toContain(HOSTILE);
    expect(parseTags(out).some((t) => t.name === 'nav')).toBe(false);
  });
});
