/**
 * A model whose every call is reported to an observer (the worker's metrics): which model, which call, how it
 * ended and how long it took. The outcome is `ok` or the error's code (rate_limited, model_output_invalid, ...),
 * so a provider that starts refusing shows by kind; nothing of the prompt or the answer is reported.
 */
import { TicketflowError } from './errors';
import type { StructuredModel } from './llm';

export interface ModelObserver {
  modelCall(call: { model: string; call: string; outcome: string; seconds: number }): void;
}

export function observedModel(model: StructuredModel, observer: ModelObserver): StructuredModel {
  async function timed<T>(call: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await fn();
    } catch (err) {
      outcome = err instanceof TicketflowError ? err.code : 'internal';
      throw err;
    } finally {
      observer.modelCall({ model: model.id, call, outcome, seconds: (performance.now() - started) / 1000 });
    }
  }
  return {
    id: model.id,
    invokeStructured: (schema, messages, opts) =>
      timed(opts?.name ?? 'structured', () => model.invokeStructured(schema, messages, opts)),
    stream: (messages, onChunk) => timed('stream', () => model.stream(messages, onChunk)),
  };
}
