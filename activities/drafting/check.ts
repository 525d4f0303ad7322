/**
 * The one check every reply passes before a customer can see it, whoever wrote it (the rules model, a chat
 * model, an agent editing or writing by hand): PII redacted, the policy guardrail, and no claim of an
 * action this ticket's runs did not do.
 */
import type { ToolRun } from '../../core/domain';
import { redact } from '../../core/pii';
import { rulesGuardrail, type PolicyGuardrail } from '../guardrail/live';
import { unsupportedClaims } from './outcomes';

export interface CheckedReply {
  /** The text with PII redacted: what is stored and sent. */
  text: string;
  /** Why the reply must not go out as is; absent when it passes. */
  violation?: string;
}

const RULES = rulesGuardrail();

export async function checkReply(
  text: string,
  runs: ToolRun[],
  guardrail: PolicyGuardrail = RULES,
): Promise<CheckedReply> {
  const clean = redact(text);
  const unsupported = unsupportedClaims(clean, runs);
  const claim = unsupported.length
    ? `the reply claims an action that did not happen: ${unsupported.join(', ')}`
    : undefined;
  const violation = [await guardrail.check(clean), claim].filter(Boolean).join('; ') || undefined;
  return { text: clean, ...(violation ? { violation } : {}) };
}
