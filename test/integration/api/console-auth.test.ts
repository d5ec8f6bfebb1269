/**
 * The console's sign-in and session rules through `inject()`: a token once, then a signed HttpOnly
 * SameSite cookie that expires and dies with its token; CSRF on every post; sign-in rate-limited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiRig, type ApiRig } from '../../helpers/api-server.js';
import { useTestStores } from '../../helpers/test-stores.js';

describe('console sign-in and sessions', () => {
  const stores = useTestStores('sqlite');
  let rig: ApiRig;
  let now: number;

  beforeEach(async () => {
    now = Date.now();
    rig = await startApiRig(await stores.open(), { clock: () => now });
  });
  afterEach(async () => {
    await rig.close();
  });

  const cookiesOf = (setCookie: string | string[] | undefined): Record<string, string> =>
    Object.fromEntries((Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]).map((c) => {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }));
  const csrfIn = (body: string): string => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

  /** Signs in with `token`; returns the session cookie (undefined when refused) and the answer. */
  async function signIn(token: string, ip = '127.0.0.1') {
    const form = await rig.app.inject({ method: 'GET', url: '/login?next=%2Fcases', remoteAddress: ip });
    const login = cookiesOf(form.headers['set-cookie']).cm_login ?? '';
    const answer = await rig.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: ip,
      cookies: { cm_login: login },
      payload: { token, _csrf: csrfIn(form.body), next: '/cases' },
    });
    return { answer, session: cookiesOf(answer.headers['set-cookie']).cm_session };
  }

  it('sends a page without a session to sign-in, and back to it after', async () => {
    const page = await rig.app.inject({ method: 'GET', url: '/inbox?tier=high' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Finbox%3Ftier%3Dhigh');
    const { answer, session } = await signIn(rig.tokens.analyst);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/cases');
    const cookie = ([answer.headers['set-cookie']].flat().find((c) => c?.startsWith('cm_session=')) ?? '');
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Expires=/);
    const inbox = await rig.app.inject({ method: 'GET', url: '/inbox', cookies: { cm_session: session ?? '' } });
    expect(inbox.statusCode).toBe(200);
    expect(inbox.headers['content-type']).toMatch(/text\/html/);
    expect(inbox.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(inbox.body).toContain('analyst-1');
    const audit = await rig.t.sql<{ action: string; actor: string }>("select action, actor from audit_log where action = 'console.sign_in'");
    expect(audit).toEqual([{ action: 'console.sign_in', actor: 'token:analyst-1' }]);
  });

  it('refuses a wrong token (401), a sign-in form it did not give (403), and an off-site next', async () => {
    expect((await signIn('cm_0123456789abcdef_wrong')).answer.statusCode).toBe(401);
    const forged = await rig.app.inject({ method: 'POST', url: '/login', payload: { token: rig.tokens.admin, _csrf: 'x' } });
    expect(forged.statusCode).toBe(403);
    expect(cookiesOf(forged.headers['set-cookie']).cm_session).toBeUndefined();
    const form = await rig.app.inject({ method: 'GET', url: '/login' });
    const offsite = await rig.app.inject({
      method: 'POST',
      url: '/login',
      cookies: { cm_login: cookiesOf(form.headers['set-cookie']).cm_login ?? '' },
      payload: { token: rig.tokens.admin, _csrf: csrfIn(form.body), next: '//evil.example/x' },
    });
    expect(offsite.headers.location).toBe('/');
  });

  it('needs the session CSRF token on every post', async () => {
    const { session = '' } = await signIn(rig.tokens.analyst);
    const page = await rig.app.inject({ method: 'GET', url: '/inbox', cookies: { cm_session: session } });
    const csrf = csrfIn(page.body);
    expect(csrf).not.toBe('');
    const without = await rig.app.inject({ method: 'POST', url: '/inbox/ack', cookies: { cm_session: session }, payload: { id: 'x' } });
    expect(without.statusCode).toBe(403);
    const withToken = await rig.app.inject({ method: 'POST', url: '/inbox/ack', cookies: { cm_session: session }, payload: { id: 'x', _csrf: csrf } });
    expect(withToken.statusCode).toBe(303);
    const viaHeader = await rig.app.inject({ method: 'POST', url: '/inbox/ack', cookies: { cm_session: session }, headers: { 'x-csrf-token': csrf }, payload: { id: 'x' } });
    expect(viaHeader.statusCode).toBe(303);
    // A multipart post (a form another site could send) needs the token too, except the import form's own.
    const boundary = 'cm-test-boundary';
    const multipart = await rig.app.inject({
      method: 'POST',
      url: `/customers/${'9'.repeat(18)}/rescan`,
      cookies: { cm_session: session },
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--${boundary}--\r\n`,
    });
    expect(multipart.statusCode).toBe(403);
  });

  it('ends a session when it expires or its token is revoked; a tampered cookie is no session', async () => {
    const { session = '' } = await signIn(rig.tokens.viewer);
    const open = () => rig.app.inject({ method: 'GET', url: '/', cookies: { cm_session: session } });
    expect((await open()).statusCode).toBe(200);
    expect((await rig.app.inject({ method: 'GET', url: '/', cookies: { cm_session: session.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) } })).statusCode).toBe(303);
    now += 8 * 3_600_000 + 1;
    expect((await open()).statusCode).toBe(303);
    now -= 8 * 3_600_000 + 1;
    await rig.t.repos.tokens.revoke('viewer-1', now);
    expect((await open()).statusCode).toBe(303);
  });

  it('limits sign-in attempts per client address: the 11th within a minute is a 429', async () => {
    for (let attempt = 1; attempt <= 10; attempt++) expect((await signIn('cm_0123456789abcdef_wrong', '10.0.0.7')).answer.statusCode).toBe(401);
    expect((await signIn(rig.tokens.admin, '10.0.0.7')).answer.statusCode).toBe(429);
    expect((await signIn(rig.tokens.admin, '10.0.0.8')).answer.statusCode).toBe(303);
  });

  it('serves htmx and the stylesheet from this server', async () => {
    const js = await rig.app.inject({ method: 'GET', url: '/assets/htmx.min.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toMatch(/htmx/);
    expect((await rig.app.inject({ method: 'GET', url: '/assets/console.css' })).headers['content-type']).toMatch(/text\/css/);
  });
});
