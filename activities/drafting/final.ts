/**
 * The reply that goes out after its proposed actions were decided and run: each sentence the draft had about
 * a proposal ("is waiting for confirmation", "will be made once approved") is replaced by what really
 * happened; a proposal the draft did not mention gets its sentence before the sign-off. A reply a person
 * wrote (`byPerson`) keeps their words: only the draft's own sentences about a proposal, where they kept them
 * word for word, are told from the outcome; nothing is added or taken out. Then the same check as any reply:
 * it may claim only what this ticket's runs did.
 */
import type { ProposalRecord, ToolRun } from '../../core/domain';
import type { PolicyGuardrail } from '../guardrail/live';
import { checkReply, type CheckedReply } from './check';
import { proposalStatement } from './outcomes';

const ABOUT_LATER = /\b(?:confirm|approv|waiting|pending|once|will be)\w*/i;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function finalReply(
  text: string,
  runs: ToolRun[],
  proposals: ProposalRecord[],
  guardrail?: PolicyGuardrail,
  { byPerson = false }: { byPerson?: boolean } = {},
): Promise<CheckedReply> {
  if (byPerson) return checkReply(withOutcomes(text, proposals), runs, guardrail);
  let out = text;
  const missing: string[] = [];
  for (const p of proposals) {
    const line = proposalStatement(p);
    // The draft already tells it in these words (a revocation run before the draft was written).
    if (out.includes(line)) continue;
    const target = new RegExp(`\\b${escape(p.target)}\\b`, 'i');
    let placed = false;
    // Sentence by sentence, keeping the spacing and line breaks around them.
    // A stop inside a word or a number ("4.00") does not end a sentence.
    out = out.replace(/(?:[^.!?\n]|[.!?](?=[^\s.!?]))+[.!?]*/g, (sentence) => {
      if (!target.test(sentence) || !ABOUT_LATER.test(sentence)) return sentence;
      const lead = /^\s*/.exec(sentence)![0];
      if (placed) return '';
      placed = true;
      return lead + line;
    });
    if (!placed) missing.push(line);
  }
  if (missing.length) {
    // The sign-off is a line of its own ("Best regards,"), not a sentence that starts with "Thank you".
    const signOff = out.search(
      /\n[ \t]*(?:best regards|kind regards|warm regards|regards|many thanks|thanks)[,.!]?[ \t]*(?:\n|$)/i,
    );
    out =
      signOff >= 0
        ? `${out.slice(0, signOff).trimEnd()} ${missing.join(' ')}\n${out.slice(signOff)}`
        : `${out.trimEnd()}\n\n${missing.join(' ')}`;
  }
  return checkReply(out, runs, guardrail);
}

/** The draft's sentences about each proposal, as the draft wrote them before it was decided. */
function before(p: ProposalRecord): string[] {
  return [proposalStatement({ ...p, status: 'pending' }), proposalStatement({ ...p, status: 'confirmed' })];
}

/** A person's text with each of the draft's own sentences about a proposal, kept word for word, told from its outcome. */
function withOutcomes(text: string, proposals: ProposalRecord[]): string {
  let out = text;
  for (const p of proposals) {
    const line = proposalStatement(p);
    for (const old of before(p)) if (old !== line) out = out.split(old).join(line);
  }
  return out;
}
