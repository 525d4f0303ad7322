import type { Sop } from '../../core/domain';
import { sopSection } from '../knowledge/sop-file';

/** The numbered steps of an SOP (or its whole body when a human wrote it free-form). */
export function sopSteps(sop: Sop): string[] {
  const section = sopSection(sop, 'Steps') ?? sop.body;
  const steps = section
    .split('\n')
    .map((l) => l.replace(/^\s*(?:\d+[.)]|[-*])\s*/, '').trim())
    .filter(Boolean);
  return steps.slice(0, 20);
}
