/**
 * Enterprise tools, read-only, on the tool store: the org's SSO configuration, its SCIM provisioning log
 * and its self-hosted appliance. Each looks up the ticket's own org by its exact id.
 */
import type { ToolStore } from '../security/store';
import { isPast, relative, toolRun, versionBefore, type TeamTool } from './team-agent';

interface SsoRow {
  idp: string;
  protocol: string;
  enforced: number;
  cert_not_after: string;
  acs_url: string;
  expected_acs_url: string;
  last_error: string | null;
  last_error_at: string | null;
}
interface ScimRow {
  at: string;
  action: string;
  target_login: string;
  status: string;
  detail: string;
}
interface ApplianceRow {
  hostname: string;
  version: string;
  latest_version: string;
  license_expires: string;
  health: string;
  detail: string;
}

export function createEnterpriseTools(
  db: ToolStore,
): Record<'sso_config_check' | 'scim_provisioning_log' | 'appliance_status', TeamTool> {
  const sso = db.prepare('SELECT * FROM sso_configs WHERE org_id = ?');
  const scim = db.prepare(
    'SELECT at, action, target_login, status, detail FROM scim_events WHERE org_id = ? ORDER BY at DESC LIMIT 10',
  );
  const appliance = db.prepare('SELECT * FROM appliances WHERE org_id = ?');

  return {
    sso_config_check(ctx) {
      const row = sso.get(ctx.orgId) as SsoRow | undefined;
      if (!row)
        return toolRun('sso_config_check', false, `No SSO configuration on file for ${ctx.orgId}`, {
          org: ctx.orgId,
          configured: false,
        });
      const problems: string[] = [];
      const certExpired = isPast(row.cert_not_after);
      if (certExpired) problems.push(`the IdP certificate expired ${relative(row.cert_not_after)}`);
      const acsMatches = row.acs_url === row.expected_acs_url;
      if (!acsMatches)
        problems.push(`the IdP sends responses to ${row.acs_url}, but this org expects ${row.expected_acs_url}`);
      if (row.last_error && row.last_error_at)
        problems.push(`last sign-in error ${relative(row.last_error_at)}: "${row.last_error}"`);
      const head = `SSO for ${ctx.orgId}: ${row.idp} ${row.protocol}, ${row.enforced ? 'enforced' : 'not enforced'}, IdP certificate ${certExpired ? 'expired' : `valid until ${row.cert_not_after.slice(0, 10)}`}`;
      return toolRun(
        'sso_config_check',
        true,
        problems.length ? `${head}; ${problems.join('; ')}` : `${head}; no problem found`,
        {
          org: ctx.orgId,
          configured: true,
          idp: row.idp,
          protocol: row.protocol,
          enforced: row.enforced === 1,
          certificateExpired: certExpired,
          certificateNotAfter: row.cert_not_after,
          acsUrlMatches: acsMatches,
          lastError: row.last_error,
          problems,
        },
      );
    },

    scim_provisioning_log(ctx) {
      const events = scim.all(ctx.orgId) as ScimRow[];
      if (!events.length)
        return toolRun('scim_provisioning_log', false, `No SCIM provisioning events on file for ${ctx.orgId}`, {
          org: ctx.orgId,
          events: [],
          failedDeprovisions: [],
        });
      const failed = events.filter((e) => e.status !== 'ok');
      const failedDeprovisions = failed.filter((e) => e.action === 'user.deprovisioned').map((e) => e.target_login);
      const list = failed.map((e) => `${e.action} ${e.target_login} ${relative(e.at)} (${e.detail})`).join('; ');
      return toolRun(
        'scim_provisioning_log',
        true,
        `SCIM log for ${ctx.orgId}: ${events.length} recent event(s), ${failed.length} failed${failed.length ? `: ${list}` : ''}`,
        {
          org: ctx.orgId,
          events,
          failedDeprovisions,
        },
      );
    },

    appliance_status(ctx) {
      const row = appliance.get(ctx.orgId) as ApplianceRow | undefined;
      if (!row)
        return toolRun('appliance_status', false, `No self-hosted appliance registered for ${ctx.orgId}`, {
          org: ctx.orgId,
          registered: false,
        });
      const behind = versionBefore(row.version, row.latest_version);
      const licenseExpired = isPast(row.license_expires);
      const summary = [
        `Appliance ${row.hostname}: version ${row.version}${behind ? ` (latest ${row.latest_version})` : ' (latest)'}`,
        `health ${row.health}: ${row.detail}`,
        `license ${licenseExpired ? 'expired' : 'expires'} ${relative(row.license_expires)}`,
      ].join('; ');
      return toolRun('appliance_status', true, summary, {
        org: ctx.orgId,
        registered: true,
        hostname: row.hostname,
        version: row.version,
        latestVersion: row.latest_version,
        upgradeAvailable: behind,
        health: row.health,
        detail: row.detail,
        licenseExpires: row.license_expires,
        licenseExpired,
      });
    },
  };
}
