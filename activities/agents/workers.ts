/**
 * The Workers agent (CI runners, minutes): reads runner status, the job queue and minutes usage. It never
 * re-registers a runner or changes a budget; those steps are the org's (or a person's) from the findings.
 */
import type { ToolStore } from '../security/store';
import { createTeamAgent } from './team-agent';
import { createWorkersTools } from './workers-tools';

export function createWorkersAgent(db: ToolStore) {
  return createTeamAgent({ topic: 'Workers', tools: createWorkersTools(db) });
}
