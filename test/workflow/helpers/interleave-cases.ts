/** The tickets of the interleaving test: shared by the test (the plans) and its worker process (the scenarios). */
import type { Plan } from './interleave';
import type { Scenario } from './scripted-intelligence';

export const interleaveCases: { name: string; scenario: Scenario; plan: Plan }[] = [
  {
    name: 'sop-reject-approve',
    scenario: { missingSopFor: ['Billing'], slowDraftMs: 3 },
    plan: { reviews: ['reject', 'approve'], messages: 4 },
  },
  {
    name: 'secure-release-edit',
    scenario: {
      analysis: { topic: 'A&S', is_sensitive: true },
      security: { risk_category: 'ATO', confidence_score: 0.95 },
    },
    plan: { release: true, reviews: ['edit'] },
  },
  {
    name: 'unknown-edit-reopen',
    scenario: { analysis: { topic: 'unknown' } },
    plan: { feedback: [{ resolved: false, comment: 'still broken' }], messages: 4 },
  },
  { name: 'guardrail-edit', scenario: { violatingVersions: [1], orgAlert: true }, plan: {} },
  { name: 'reject-edit', scenario: {}, plan: { reviews: ['reject', 'edit'] } },
  { name: 'close-mid-draft', scenario: { slowDraftMs: 20 }, plan: { closeWhen: (s) => s.status === 'drafting' } },
];

export function interleaveScenarios(): Map<string, Scenario> {
  return new Map(interleaveCases.map((c) => [c.name, c.scenario]));
}
