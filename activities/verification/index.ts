/**
 * The Verifier port on the embedded store: a health table per org and service (the after-runner's "is
 * the fix holding?"). Production would call the service's health API; tests mark a service unhealthy.
 */
import type { Topic, Verification } from '../../core/domain';
import type { Verifier } from '../ports';
import type { ToolStore } from '../security/store';

/** The service whose health says a ticket of this topic is fixed. */
export const serviceOfTopic: Record<Topic, string> = {
  'A&S': 'accounts',
  Billing: 'billing',
  Enterprise: 'sso',
  DevSupport: 'git',
  Workers: 'runners',
  ShotGun: 'shotgun',
  Discourse: 'community',
  unknown: 'platform',
};

export interface HealthVerifier extends Verifier {
  setHealth(orgId: string, service: string, healthy: boolean, detail: string): void;
}

export function createVerifier(db: ToolStore): HealthVerifier {
  const get = db.prepare('SELECT healthy, detail, updated_at FROM service_health WHERE org_id = ? AND service = ?');
  const set = db.prepare(
    'INSERT INTO service_health (org_id, service, healthy, detail, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(org_id, service) DO UPDATE SET healthy = excluded.healthy, detail = excluded.detail, updated_at = excluded.updated_at',
  );
  return {
    async verify(ctx, topic): Promise<Verification> {
      const service = serviceOfTopic[topic];
      const row = get.get(ctx.orgId, service) as { healthy: number; detail: string; updated_at: string } | undefined;
      if (!row) return { healthy: true, detail: `${service} for ${ctx.orgId}: no incident on record` };
      return {
        healthy: row.healthy === 1,
        detail: `${service} for ${ctx.orgId}: ${row.detail} (as of ${row.updated_at})`,
      };
    },
    setHealth(orgId, service, healthy, detail) {
      set.run(orgId, service, healthy ? 1 : 0, detail, new Date().toISOString());
    },
  };
}
