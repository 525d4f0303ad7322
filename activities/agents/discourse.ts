/**
 * The Discourse agent (community, docs, moderation): reads the moderation queue, docs page status and the
 * community profile. Approving a post or lifting a silence is a moderator's decision, never the agent's.
 */
import type { ToolStore } from '../security/store';
import { createDiscourseTools } from './discourse-tools';
import { createTeamAgent } from './team-agent';

export function createDiscourseAgent(db: ToolStore) {
  return createTeamAgent({ topic: 'Discourse', tools: createDiscourseTools(db) });
}
