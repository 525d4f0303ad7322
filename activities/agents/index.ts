/**
 * The DomainAgents port: the registry of the seven teams' agents. A topic absent here goes to a person
 * ("human live"); today that is only `unknown`.
 */
import { topics, type Topic } from '../../core/domain';
import { TicketflowError } from '../../core/errors';
import { createLogger } from '../../core/logger';
import type { DomainAgents, SecurityTools } from '../ports';
import type { ActionRules } from '../policy';
import type { ToolStore } from '../security/store';
import { createAccountSecurityAgent } from './account-security';
import { createAccountStep } from './account-step';
import { createAccountTools, executeAccountChange } from './account-tools';
import { createBillingAgent, createRefundExecutor } from './billing';
import { createBillingTools } from './billing-tools';
import { createDevSupportAgent } from './devsupport';
import { createDiscourseAgent } from './discourse';
import { createEnterpriseAgent } from './enterprise';
import type { LogSearch } from './log-search';
import { createShotGunAgent } from './shotgun';
import { createWorkersAgent } from './workers';

type AgentTopic = Exclude<Topic, 'unknown'>;
/** The topics with an agent, known without opening a store (the routing measurement reads it): every topic but
 * `unknown`, so a topic added to the domain fails to compile below until it has an agent. */
export const AGENT_TOPICS: readonly AgentTopic[] = topics.filter((t): t is AgentTopic => t !== 'unknown');

export function createDomainAgents(deps: {
  db: ToolStore;
  security: SecurityTools;
  logs: LogSearch;
  actionRules: ActionRules;
}): DomainAgents {
  const billing = createBillingTools(deps.db);
  const refund = createRefundExecutor(billing, deps.actionRules);
  const accounts = createAccountTools(deps.db);
  // One entry for every proposal a person confirmed: each kind goes to the executor that re-checks its facts.
  const execute: DomainAgents['execute'] = (ctx, p) => {
    if (p.kind === 'revoke_credentials') return deps.security.executeRevocation(ctx, p);
    return p.kind === 'account_change' ? executeAccountChange(accounts, deps.actionRules, ctx, p) : refund(ctx, p);
  };
  const withAccountChanges = createAccountStep(deps.db, accounts, deps.actionRules);
  const agents: Record<AgentTopic, ReturnType<typeof createBillingAgent>> = {
    'A&S': createAccountSecurityAgent(deps),
    Billing: createBillingAgent(billing, deps.actionRules),
    Enterprise: createEnterpriseAgent(deps.db),
    DevSupport: createDevSupportAgent(deps.db),
    Workers: createWorkersAgent(deps.db),
    ShotGun: createShotGunAgent(deps.db),
    Discourse: createDiscourseAgent(deps.db),
  };
  return {
    topics: AGENT_TOPICS,
    execute,
    async investigate(ctx, topic, sop, _analysis, redactedText) {
      const agent = topic !== 'unknown' && Object.hasOwn(agents, topic) ? agents[topic] : undefined;
      if (!agent) throw new TicketflowError('bad_input', `no domain agent for ${topic}: route the ticket to a person`);
      const findings = await withAccountChanges(ctx, sop, redactedText, await agent(ctx, sop, redactedText));
      createLogger('agents', { ticketId: ctx.ticketId }).info('investigated', {
        topic,
        sop: sop.id,
        tools: findings.toolRuns.map((r) => `${r.tool}:${r.ok}`),
        proposals: findings.proposals?.map((p) => p.id),
        needsHuman: findings.needsHuman,
      });
      return findings;
    },
  };
}

export { createBillingTools } from './billing-tools';
export { createLogSearch, seedAuditLogs } from './log-search';
