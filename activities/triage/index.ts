/**
 * The Triage port: scrub PII, extract masked entities, classify with the configured model (an LLM, else
 * the semantic model, else the rules model), and return a zod-checked TriageResult that names the model.
 * Every path flags text aimed at the system (manipulation), which routes the ticket to a person.
 */
import { triageResultSchema, type TriageResult } from '../../core/domain';
import type { StructuredModel } from '../../core/llm';
import { createLogger } from '../../core/logger';
import { intake, type Intake } from '../../core/intake';
import type { TicketContext, Triage } from '../ports';
import { llmTriage } from './llm-triage';
import { manipulationCues } from './manipulation';
import { classify, RULES_MODEL_ID } from './rules-model';
import type { SemanticTriage } from './semantic-load';
import { TicketflowError } from '../../core/errors';
import { normalizeText } from '../../core/text-normalize';

const MAX_TICKET_CHARS = 20_000;
const CREDENTIAL_KINDS = new Set(['token', 'aws_key', 'jwt', 'secret']);
/** A credential the detectors matched: as certain as the classifier ever reports. */
const CREDENTIAL_CONFIDENCE = 0.99;

export interface TriageOptions {
  /** The semantic model, when installed; used when no LLM is configured. */
  semantic?: SemanticTriage;
  /** What the result's `model` says when the rules serve although the semantic model was wanted. */
  rulesModelId?: string;
}

export function createTriage(model?: StructuredModel, opts: TriageOptions = {}): Triage {
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
    const manipulation = manipulationCues(seen).length > 0;
    if (!model && opts.semantic) {
      const s = await opts.semantic.classify(seen, rules);
      result = {
        analysis: {
          ...s.analysis,
          is_sensitive: s.analysis.is_sensitive || credentialPasted,
          manipulation: s.manipulation,
        },
        security: {
          risk_category: credentialPasted ? 'TOKEN_EXPOSURE' : s.risk,
          confidence_score: credentialPasted ? Math.max(s.confidence.risk, CREDENTIAL_CONFIDENCE) : s.confidence.risk,
          extracted_entities: entities,
        },
        redactedText,
        model: opts.semantic.id,
        confidence: s.confidence,
      };
    } else if (!model) {
      result = {
        analysis: { ...rules.analysis, manipulation },
        security: {
          risk_category: rules.risk,
          confidence_score: credentialPasted ? Math.max(rules.confidence, CREDENTIAL_CONFIDENCE) : rules.confidence,
          extracted_entities: entities,
        },
        redactedText,
        model: opts.rulesModelId ?? RULES_MODEL_ID,
      };
    } else {
      const llm = await llmTriage(model, seen);
      const risk = credentialPasted ? 'TOKEN_EXPOSURE' : llm.risk;
      result = {
        analysis: { ...llm.analysis, is_sensitive: llm.analysis.is_sensitive || risk !== 'none', manipulation },
        security: {
          risk_category: risk,
          confidence_score: credentialPasted ? Math.max(llm.confidence, CREDENTIAL_CONFIDENCE) : llm.confidence,
          extracted_entities: entities,
        },
        redactedText,
        model: model.id,
      };
    }
    createLogger('triage', { ticketId: ctx.ticketId }).info('triaged', {
      model: result.model,
      topic: result.analysis.topic,
      risk: result.security.risk_category,
      confidence: result.security.confidence_score,
      manipulation: result.analysis.manipulation === true,
      entities: entities.length,
    });
    return triageResultSchema.parse(result);
  }

  return {
    triageIntake,
    async triage(ctx: TicketContext, text: string): Promise<TriageResult> {
      if (typeof text !== 'string' || text.trim() === '')
        throw new TicketflowError('bad_input', 'ticket text is empty');
      if (text.length > MAX_TICKET_CHARS)
        throw new TicketflowError(
          'bad_input',
          `ticket text is ${text.length} characters; the limit is ${MAX_TICKET_CHARS}`,
        );
      return triageIntake(ctx, intake(text));
    },
  };
}

export { classify, RULES_MODEL_ID } from './rules-model';
export { loadSemanticTriage, type SemanticTriage } from './semantic-load';
