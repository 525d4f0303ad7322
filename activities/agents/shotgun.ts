/**
 * The ShotGun agent (AI assistant seats, IDE plugins): reads the seat, the plugins and the policies the
 * SOP allows. Seats are assigned by the org's owners, never by the agent.
 */
import type { ToolStore } from '../security/store';
import { createShotGunTools } from './shotgun-tools';
import { createTeamAgent } from './team-agent';

export function createShotGunAgent(db: ToolStore) {
  return createTeamAgent({ topic: 'ShotGun', tools: createShotGunTools(db) });
}
