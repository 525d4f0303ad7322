/**
 * The Enterprise agent (SSO, SCIM, self-hosted appliances). Configuration changes belong to the
 * enterprise's owners, so the agent only reads; a failed deprovisioning is a security matter (a leaver may
 * still have access) and goes to a person.
 */
import type { ToolStore } from '../security/store';
import { createEnterpriseTools } from './enterprise-tools';
import { createTeamAgent, outputOf } from './team-agent';

export function createEnterpriseAgent(db: ToolStore) {
  return createTeamAgent({
    topic: 'Enterprise',
    tools: createEnterpriseTools(db),
    needsHuman(runs) {
      const leavers =
        outputOf<{ failedDeprovisions: string[] }>(runs, 'scim_provisioning_log')?.failedDeprovisions ?? [];
      if (!leavers.length) return undefined;
      return `SCIM deprovisioning failed for ${leavers.length} account(s): they may still have access; an enterprise owner must remove them`;
    },
  });
}
