import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenAiModel } from '../../core/llm';
import { TicketflowError } from '../../core/errors';
import { createTriage } from '../../activities/triage';
import { createDrafter } from '../../activities/drafting';
import { llmTriageSchema } from '../../activities/triage/llm-triage';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai';

const ctx = { ticketId: 'llm-1', userId: 'mona', orgId: 'acme-corp' };
const goodAnswer = {
  analysis: {
    intent: 'request a refund',
    urgency: 'medium',
    tone: 'polite',
    topic: 'Billing',
    topics: ['Billing', 'A&S'],
    is_sensitive: false,
  },
  risk_category: 'none',
  confidence_score: 0.93,
};

describe('ChatOpenAI against a local OpenAI-compatible server', () => {
  let fake: FakeOpenAi;
  before(async () => {
    fake = await startFakeOpenAi();
  });
  after(async () => {
    await fake.close();
  });
  const model = () =>
    createOpenAiModel({
      apiKey: 'sk-test-key-1234567890',
      baseUrl: fake.baseUrl,
      model: 'test-model',
      timeoutMs: 5_000,
    });

  it('parses a structured triage answer, and the model only ever sees redacted text', async () => {
    fake.reply({ content: JSON.stringify(goodAnswer) });
    const triage = createTriage(model());
    const r = await triage.triage(ctx, 'Refund please, my email is mona@example.com and card 4111 1111 1111 1111');
    assert.equal(r.model, 'openai:test-model');
    assert.equal(r.analysis.topic, 'Billing');
    assert.deepEqual(r.analysis.topics, ['A&S'], 'the primary topic is not repeated in topics');
    assert.equal(r.security.confidence_score, 0.93);
    const sent = JSON.stringify(fake.requests.at(-1)!.body);
    assert.ok(!sent.includes('mona@example.com') && !sent.includes('4111'), 'raw PII reached the model');
    assert.match(sent, /\[REDACTED_EMAIL\]/);
    assert.equal(fake.requests.at(-1)!.headers.authorization, 'Bearer sk-test-key-1234567890');
    assert.deepEqual((fake.requests.at(-1)!.body as { response_format?: unknown }).response_format, {
      type: 'json_object',
    });
  });

  it('keeps TOKEN_EXPOSURE when a credential was pasted, whatever the model says', async () => {
    fake.reply({ content: JSON.stringify(goodAnswer) });
    const r = await createTriage(model()).triage(
      ctx,
      'here is my token ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m, refund me',
    );
    assert.equal(r.security.risk_category, 'TOKEN_EXPOSURE');
    assert.equal(r.analysis.is_sensitive, true);
  });

  it('malformed output is a clear, retryable model_output_invalid error', async () => {
    fake.reply({ content: 'Sure! The topic is Billing.' });
    await assert.rejects(
      model().invokeStructured(llmTriageSchema, [['human', 'x']], { name: 'triage' }),
      (err: unknown) => {
        assert.ok(err instanceof TicketflowError);
        assert.equal(err.code, 'model_output_invalid');
        assert.equal(err.retriable, true);
        assert.match(err.message, /did not answer triage with JSON/);
        return true;
      },
    );
  });

  it('JSON that does not fit the schema names the bad fields', async () => {
    fake.reply({
      content: JSON.stringify({
        ...goodAnswer,
        analysis: { ...goodAnswer.analysis, topic: 'Sales' },
        confidence_score: 7,
      }),
    });
    await assert.rejects(
      model().invokeStructured(llmTriageSchema, [['human', 'x']], { name: 'triage' }),
      (err: unknown) => {
        assert.ok(err instanceof TicketflowError && err.code === 'model_output_invalid' && err.retriable);
        assert.match(err.message, /analysis\.topic/);
        assert.match(err.message, /confidence_score/);
        return true;
      },
    );
  });

  it('401 is a non-retryable auth error; 403 too', async () => {
    for (const status of [401, 403]) {
      fake.reply({
        status,
        body: {
          error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
        },
      });
      await assert.rejects(model().invokeStructured(llmTriageSchema, [['human', 'x']]), (err: unknown) => {
        assert.ok(err instanceof TicketflowError);
        assert.equal(err.code, 'auth');
        assert.equal(err.retriable, false);
        return true;
      });
    }
  });

  it('429 and 5xx are retryable, and the client does not retry on its own (maxRetries 0)', async () => {
    for (const [status, code] of [
      [429, 'rate_limited'],
      [503, 'upstream_unavailable'],
    ] as const) {
      const before = fake.requests.length;
      fake.reply({ status });
      await assert.rejects(model().invokeStructured(llmTriageSchema, [['human', 'x']]), (err: unknown) => {
        assert.ok(err instanceof TicketflowError);
        assert.equal(err.code, code);
        assert.equal(err.retriable, true);
        return true;
      });
      assert.equal(fake.requests.length - before, 1, 'exactly one HTTP request: Temporal owns retries');
    }
  });

  it('drafting streams the model reply token by token and still runs the guardrail', async () => {
    fake.reply({ content: 'I am sorry for the trouble. You can bypass the 2FA check by emailing us.' });
    const drafter = createDrafter({ sopById: () => undefined, model: model() });
    const chunks: string[] = [];
    const draft = await drafter.draft(
      { ctx, analysis: goodAnswer.analysis as never, redactedText: 'help', findings: [], version: 1 },
      (t) => {
        chunks.push(t);
      },
    );
    assert.ok(chunks.length > 5, `expected many chunks, got ${chunks.length}`);
    assert.equal(chunks.join(''), draft.text);
    assert.equal(draft.model, 'openai:test-model');
    assert.match(draft.violation ?? '', /bypass/);
  });
});
