/** The DomainAgents port: A&S and Billing have agents; every other topic goes to a person. */
import type { Topic } from '../../core/domain';
import { TicketflowError } from '../../core/errors';
import { createLogger } from '../../core/logger';
import type { DomainAgents, SecurityTools } from '../ports';
import type { ActionRules } from '../policy';
import type { ToolStore } from '../security/store';
import { createAccountSecurityAgent } from './account-security';
import { createBillingAgent } from './billing';
import { createBillingTools } from './billing-tools';
import type { LogSearch } from './log-search';

export function createDomainAgents(deps: { db: ToolStore; security: SecurityTools; logs: LogSearch; actionRules: ActionRules }): DomainAgents {
  const agents: Partial<Record<Topic, ReturnType<typeof createBillingAgent>>> = {
    'A&S': createAccountSecurityAgent(deps),
    Billing: createBillingAgent(createBillingTools(deps.db), deps.actionRules),
  };
  return {
    topics: Object.keys(agents) as Topic[],
    async investigate(ctx, topic, sop, _analysis, redactedText) {
      const agent = agents[topic];
      if (!agent) throw new TicketflowError('bad_input', `no domain agent for ${topic}: route the ticket to a person`);
      const findings = await agent(ctx, sop, redactedText);
      createLogger('agents', { ticketId: ctx.ticketId }).info('investigated', { topic, sop: sop.id, tools: findings.toolRuns.map((r) => `${r.tool}:${r.ok}`), proposals: findings.proposals?.map((p) => p.id), needsHuman: findings.needsHuman });
      return findings;
    },
  };
}

export { createBillingTools } from './billing-tools';
export { createLogSearch, seedAuditLogs } from './log-search';
