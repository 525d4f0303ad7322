/** The designs scripts/triage-cv.ts compares: the shipped one and the candidates tried against it. */
import { CANDIDATE_DESIGN, CENTRED_DESIGN, SHIPPED_DESIGN, type TriageDesign } from '../activities/triage/design';

const v = (change: Partial<TriageDesign>): TriageDesign => ({ ...SHIPPED_DESIGN, ...change });
const e6 = { epochs: 600 };
const ord = { epochs: 600, urgency: 'ordinal', urgencyHeadWeight: 0.8 } as const;

export const VARIANTS: Record<string, TriageDesign> = {
  shipped: SHIPPED_DESIGN,
  e600: v(e6),
  'e600 thr0.25': v({ ...e6, sensitiveThreshold: 0.25 }),
  'e600 thr0.25 floor0.5': v({ ...e6, sensitiveThreshold: 0.25, urgencyFloorP: 0.5 }),
  'e600 ord0.8': v(ord),
  'e600 ord0.8 thr0.25': v({ ...ord, sensitiveThreshold: 0.25 }),
  'e600 ord0.8 thr0.25 floor0.5 (candidate)': CANDIDATE_DESIGN,
  'candidate centred': CENTRED_DESIGN,
  'e600 ord0.8 thr0.2 floor0.5': v({ ...ord, sensitiveThreshold: 0.2, urgencyFloorP: 0.5 }),
  'e600 ord1.0 thr0.25 floor0.5': v({ ...ord, urgencyHeadWeight: 1, sensitiveThreshold: 0.25, urgencyFloorP: 0.5 }),
};
