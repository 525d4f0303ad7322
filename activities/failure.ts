/** How a failed activity tells Temporal whether another attempt can help. */
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { ZodError } from 'zod';
import { TicketflowError } from '../core/errors';

/** Maps what an intelligence port throws to what Temporal should do with it. */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (err instanceof TicketflowError) {
    const type = `TicketflowError:${err.code}`;
    return err.retriable
      ? ApplicationFailure.create({ message: err.message, type, cause: err })
      : ApplicationFailure.nonRetryable(err.message, type);
  }
  if (err instanceof ZodError) {
    // A port returned something off-schema (a model's output, typically): another attempt may well be valid,
    // and the activity's maximumAttempts bounds it if not.
    return ApplicationFailure.create({
      message: `invalid output: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      type: 'TicketflowError:model_output_invalid',
    });
  }
  return err;
}
