// Compile-time checks of the login and rate limit types (run by `npm run typecheck`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Blueprint, createApp, hashPassword, verifyPassword, needsRehash, type RateLimitRule, type RouteOptions } from '../../src/index.js';

test('route options, settings and helpers are typed', async () => {
  const app = createApp({ env: 'test', login: { loadUser: (id) => ({ id }), route: 'login' }, rateLimit: { store: 'memory', maxKeys: 10 } });
  const rule: RateLimitRule = { limit: 5, window: 60, key: async (req) => (await req.form()).get('name'), algorithm: 'fixed', name: 'login-name' };
  const opts: RouteOptions = { loginRequired: true, rateLimit: [rule, { limit: 30, window: 60, key: 'ip' }] };
  // @ts-expect-error: keys are 'ip', 'session' or a function
  const bad: RateLimitRule = { limit: 5, window: 60, key: 'user' };
  void bad;
  app.get(
    '/x',
    async (req) => {
      const u: { id: number } | undefined = await req.currentUser<{ id: number }>();
      await req.session.logout({ everywhere: true });
      return String(u?.id);
    },
    opts,
  );
  new Blueprint('admin', { routeDefaults: { loginRequired: true, rateLimit: false } });
  const h: string = await hashPassword('pw', { ln: 8 });
  const ok: boolean = await verifyPassword('pw', h);
  assert.equal(ok && !needsRehash(h, { ln: 8 }), true);
});
