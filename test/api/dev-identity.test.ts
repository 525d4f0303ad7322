/** The development identity: off unless asked, refused in production, and its links carry working tokens. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { devIdentityBanner, devIdentityLinks } from '../../gateway/api/dev-identity';
import { createJwtAuth } from '../../gateway/auth/jwt';
import { testConfig } from '../helpers/infra';

const SECRET = 'dev-identity-test-secret-0123456789abcdef';
/** Production wants its own (gateway/auth/keys.ts); the refusal under test is the dev identity's. */
const USER_ID_SECRET = 'dev-identity-test-user-id-secret-0123456789';

function setup(env: NodeJS.ProcessEnv) {
  const cfg = testConfig({
    JWT_SECRET: SECRET,
    USER_ID_SECRET: USER_ID_SECRET,
    GATEWAY_PUBLIC_URL: 'http://127.0.0.1:8080',
    ...env,
  });
  return { cfg, auth: createJwtAuth(cfg.jwt) };
}

test('off by default: no links', () => {
  const { cfg, auth } = setup({ DEV_IDENTITY: 'false' });
  assert.equal(devIdentityLinks(cfg, auth), null);
});

test('on: a console link with an agent token and a customer link, tokens in the fragment', () => {
  const { cfg, auth } = setup({ DEV_IDENTITY: 'true', NODE_ENV: 'development' });
  const links = devIdentityLinks(cfg, auth);
  assert.ok(links);
  assert.match(links.consoleUrl, /^http:\/\/127\.0\.0\.1:8080\/console#token=/);
  assert.match(links.customerUrl, /^http:\/\/127\.0\.0\.1:8080\/ticket#token=/);
  const agent = auth.verifyAccessToken(links.consoleUrl.split('#token=')[1]!);
  assert.equal(agent.role, 'agent');
  const customer = auth.verifyAccessToken(links.customerUrl.split('#token=')[1]!);
  assert.equal(customer.role, 'customer');
  assert.match(devIdentityBanner(links), /DEV IDENTITY/);
});

test('refused with NODE_ENV=production', () => {
  const { cfg, auth } = setup({ DEV_IDENTITY: 'true', NODE_ENV: 'production' });
  assert.throws(() => devIdentityLinks(cfg, auth), /must not be enabled/);
});
