/**
 * The chat model factory and the one place model errors are classified. `maxRetries: 0` because Temporal
 * owns retries: a retry inside the client would hide from the workflow history and stack timeouts.
 */
import { ChatOpenAI } from '@langchain/openai';
import type { BaseMessageLike } from '@langchain/core/messages';
import type { z } from 'zod';
import type { Config } from './config';
import { TicketflowError } from './errors';
import { maskSecrets } from './secrets';

export interface LlmSettings {
  apiKey?: string;
  baseUrl?: string;
  model: string;
  timeoutMs: number;
}

/** The interface the intelligence modules need from a model: one structured answer per call. */
export interface StructuredModel {
  /** "openai:<model>": stamped on every output so a reader knows which model wrote it. */
  readonly id: string;
  invokeStructured<S extends z.ZodType>(
    schema: S,
    messages: BaseMessageLike[],
    opts?: { name?: string },
  ): Promise<z.infer<S>>;
  /** Free text, streamed in chunks as they arrive. */
  stream(messages: BaseMessageLike[], onChunk: (text: string) => Promise<void> | void): Promise<string>;
}

export function createChatOpenAI(llm: LlmSettings): ChatOpenAI {
  if (!llm.apiKey)
    throw new TicketflowError('bad_input', 'OPENAI_API_KEY is not set: the rules model serves without a key');
  return new ChatOpenAI({
    apiKey: llm.apiKey,
    model: llm.model,
    temperature: 0,
    timeout: llm.timeoutMs,
    maxRetries: 0,
    configuration: llm.baseUrl ? { baseURL: llm.baseUrl } : undefined,
  });
}

function statusOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { status?: unknown; response?: { status?: unknown }; cause?: unknown };
  if (typeof e.status === 'number') return e.status;
  if (e.response && typeof e.response.status === 'number') return e.response.status;
  return e.cause ? statusOf(e.cause) : undefined;
}

/** Maps whatever the client threw to a TicketflowError whose `retriable` tells Temporal what to do. */
export function classifyLlmError(err: unknown): TicketflowError {
  if (err instanceof TicketflowError) return err;
  const status = statusOf(err);
  const name = err instanceof Error ? err.name : '';
  const detail = maskSecrets(err instanceof Error ? err.message : String(err)).slice(0, 300);
  if (status === 401 || status === 403) {
    return new TicketflowError('auth', `model API refused the credentials (HTTP ${status}): ${detail}`, { cause: err });
  }
  if (status === 429)
    return new TicketflowError('rate_limited', `model API rate limit (HTTP 429): ${detail}`, { cause: err });
  if (status !== undefined && status >= 500) {
    return new TicketflowError('upstream_unavailable', `model API failed (HTTP ${status}): ${detail}`, { cause: err });
  }
  if (status === 400 || status === 404 || status === 422) {
    // A bad request or an unknown model will fail the same way next time.
    return new TicketflowError('bad_input', `model API rejected the request (HTTP ${status}): ${detail}`, {
      cause: err,
      retriable: false,
    });
  }
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    /timed? ?out|ECONNREFUSED|ECONNRESET|socket|fetch failed|Connection error/i.test(detail)
  ) {
    return new TicketflowError('upstream_unavailable', `model API unreachable: ${detail}`, { cause: err });
  }
  return new TicketflowError('internal', `model call failed: ${detail}`, { cause: err });
}

/** The JSON object inside a model answer, tolerating a ```json fence or prose around it. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const candidate = (fenced?.[1] ?? text).trim();
  try {
    return JSON.parse(candidate);
  } catch {
    const start = candidate.indexOf('{');
    const end = candidate.lastIndexOf('}');
    if (start >= 0 && end > start) return JSON.parse(candidate.slice(start, end + 1));
    throw new SyntaxError('no JSON object in the answer');
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) =>
        typeof p === 'string'
          ? p
          : p && typeof p === 'object' && 'text' in p
            ? String((p as { text: unknown }).text)
            : '',
      )
      .join('');
  }
  return '';
}

/**
 * Structured output by JSON mode plus a zod parse of our own: it works on every OpenAI-compatible server
 * (vLLM, Ollama, ...), not only those with json_schema support, and a bad answer gets a clear message.
 */
export function createOpenAiModel(llm: LlmSettings, chat: ChatOpenAI = createChatOpenAI(llm)): StructuredModel {
  const json = chat.withConfig({ response_format: { type: 'json_object' } });
  return {
    id: `openai:${llm.model}`,
    async invokeStructured(schema, messages, opts) {
      let answer;
      try {
        answer = await json.invoke(messages);
      } catch (err) {
        throw classifyLlmError(err);
      }
      const text = contentText(answer.content);
      let parsed: unknown;
      try {
        parsed = extractJson(text);
      } catch (err) {
        throw new TicketflowError(
          'model_output_invalid',
          `model ${llm.model} did not answer ${opts?.name ?? 'the request'} with JSON (${text.length} chars); retrying may help`,
          { cause: err },
        );
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        const issues = result.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ');
        throw new TicketflowError(
          'model_output_invalid',
          `model ${llm.model} answered ${opts?.name ?? 'the request'} with JSON that does not fit the schema: ${issues}`,
          { cause: result.error },
        );
      }
      return result.data;
    },
    async stream(messages, onChunk) {
      let full = '';
      try {
        for await (const chunk of await chat.stream(messages)) {
          const text = contentText(chunk.content);
          if (!text) continue;
          full += text;
          await onChunk(text);
        }
      } catch (err) {
        throw classifyLlmError(err);
      }
      return full;
    },
  };
}

/** The configured model, or undefined when no key is set (the rules model then serves). */
export function modelFromConfig(cfg: Pick<Config, 'llm'>): StructuredModel | undefined {
  return cfg.llm.apiKey ? createOpenAiModel(cfg.llm) : undefined;
}
