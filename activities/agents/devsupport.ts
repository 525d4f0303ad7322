/**
 * The DevSupport agent (API, webhooks, git): reads the delivery log, the rate limit and the push log the
 * SOP allows. Nothing here is redelivered or changed: the customer or a person does that from the findings.
 */
import type { ToolStore } from '../security/store';
import { createDevSupportTools } from './devsupport-tools';
import { createTeamAgent } from './team-agent';

export function createDevSupportAgent(db: ToolStore) {
  return createTeamAgent({ topic: 'DevSupport', tools: createDevSupportTools(db) });
}
