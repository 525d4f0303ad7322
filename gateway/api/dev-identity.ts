/**
 * Development identity, for `npm run up` only: when DEV_IDENTITY is on, the gateway prints a console link
 * with an agent token and a customer link, so a new user is in the console with one click. The tokens ride in
 * the URL fragment (never sent to the server, never in access logs) and the UI moves them to sessionStorage.
 * Off by default; refused in production; every line says DEV.
 */
import type { Config } from '../../core/config';
import type { ApiAuth } from './context';

export const DEV_AGENT = { sub: 'dev-agent', role: 'agent', orgId: 'dev-org' } as const;
export const DEV_CUSTOMER = { sub: 'dev-customer', role: 'customer', orgId: 'dev-org' } as const;
const DEV_TOKEN_TTL_MS = 12 * 3600_000;

export interface DevIdentityLinks {
  consoleUrl: string;
  customerUrl: string;
  expiresAt: string;
}

/** The two links, or null when the dev identity is off (or the gateway cannot sign tokens). */
export function devIdentityLinks(
  cfg: Config,
  auth: Pick<ApiAuth, 'signAccessToken' | 'canSign'>,
  now = Date.now(),
): DevIdentityLinks | null {
  if (!cfg.gateway.devIdentity || !auth.canSign) return null;
  if (cfg.env === 'production') throw new Error('DEV_IDENTITY must not be enabled with NODE_ENV=production');
  const base = cfg.gateway.publicUrl.replace(/\/$/, '');
  const agent = auth.signAccessToken(DEV_AGENT, DEV_TOKEN_TTL_MS);
  const customer = auth.signAccessToken(DEV_CUSTOMER, DEV_TOKEN_TTL_MS);
  return {
    consoleUrl: `${base}/console#token=${agent}`,
    customerUrl: `${base}/ticket#token=${customer}`,
    expiresAt: new Date(now + DEV_TOKEN_TTL_MS).toISOString(),
  };
}

/** The banner the gateway prints at start (stdout, so `npm run up` shows it). */
export function devIdentityBanner(
  links: DevIdentityLinks,
  base: string = links.consoleUrl.replace(/\/console#.*$/, ''),
): string {
  return [
    '',
    '  DEV IDENTITY (development only: anyone with these links acts as these users)',
    `  landing page     ${base}/`,
    `  agent console    ${links.consoleUrl}`,
    `  customer page    ${links.customerUrl}`,
    `  links valid until ${links.expiresAt}`,
    '',
  ].join('\n');
}
