/** The phases of a ticket and the step that runs each. */
import type { Phase } from '../state';
import { afterRunner, feedback, memory, send } from './after';
import { domainAgents } from './agents';
import type { Step } from './context';
import { draft } from './draft';
import { human, review } from './people';
import { securityProtocol } from './security';
import { triage } from './triage';

export { automationFailed } from './after';
export type { StepContext } from './context';

export const steps: Record<Exclude<Phase, 'done'>, Step> = {
  triage,
  security: securityProtocol,
  agents: domainAgents,
  draft,
  review,
  human,
  send,
  after_runner: afterRunner,
  feedback,
  memory,
};
