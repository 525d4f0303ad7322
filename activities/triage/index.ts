/**
 * The Triage port: scrub PII, extract masked entities, classify with the configured model (or the rules
 * model), and return a zod-checked TriageResult that names the model.
 */
import { triageResultSchema, type TriageResult } from '../../core/domain';
import type { StructuredModel } from '../../core/llm';
import { createLogger } from '../../core/logger';
import { intake, type Intake } from '../../core/intake';
import type { TicketContext, Triage } from '../ports';
import { llmTriage } from './llm-triage';
import { classify, RULES_MODEL_ID } from './rules-model';
import { TicketflowError } from '../../core/errors';
import { normalizeText } from '../../core/text-normalize';

const MAX_TICKET_CHARS = 20_000;
const CREDENTIAL_KINDS = new Set(['token', 'aws_key', 'jwt', 'secret']);
/** A credential the detectors matched: as certain as the classifier ever reports. */
const CREDENTIAL_CONFIDENCE = 0.99;

export function createTriage(model?: StructuredModel): Triage {
  async function triageIntake(ctx: TicketContext, scrubbed: Intake): Promise<TriageResult> {
    const { redactedText, entities } = scrubbed;
    if (redactedText.trim() === '') throw new TicketflowError('bad_input', 'ticket text is empty');
    // Models read the normalised text (no zero-width splits, no look-alike letters); the result keeps the original.
    const seen = normalizeText(redactedText);
    const rules = classify(seen, entities);
    // A pasted credential is a fact the detectors established, not a guess: no model may talk it away, and
    // its confidence is the detector's, so containment runs whatever else the ticket says.
    const credentialPasted = entities.some((e) => CREDENTIAL_KINDS.has(e.kind));
    let result: TriageResult;
    if (!model) {
      result = {
        analysis: rules.analysis,
        security: { risk_category: rules.risk, confidence_score: credentialPasted ? Math.max(rules.confidence, CREDENTIAL_CONFIDENCE) : rules.confidence, extracted_entities: entities },
        redactedText,
        model: RULES_MODEL_ID,
      };
    } else {
      const llm = await llmTriage(model, seen);
      const risk = credentialPasted ? 'TOKEN_EXPOSURE' : llm.risk;
      result = {
        analysis: { ...llm.analysis, is_sensitive: llm.analysis.is_sensitive || risk !== 'none' },
        security: { risk_category: risk, confidence_score: credentialPasted ? Math.max(llm.confidence, CREDENTIAL_CONFIDENCE) : llm.confidence, extracted_entities: entities },
        redactedText,
        model: model.id,
      };
    }
    createLogger('triage', { ticketId: ctx.ticketId }).info('triaged', {
      model: result.model,
      topic: result.analysis.topic,
      risk: result.security.risk_category,
      confidence: result.security.confidence_score,
      entities: entities.length,
    });
    return triageResultSchema.parse(result);
  }

  return {
    triageIntake,
    async triage(ctx: TicketContext, text: string): Promise<TriageResult> {
      if (typeof text !== 'string' || text.trim() === '') throw new TicketflowError('bad_input', 'ticket text is empty');
      if (text.length > MAX_TICKET_CHARS) throw new TicketflowError('bad_input', `ticket text is ${text.length} characters; the limit is ${MAX_TICKET_CHARS}`);
      return triageIntake(ctx, intake(text));
    },
  };
}

export { classify, RULES_MODEL_ID } from './rules-model';
