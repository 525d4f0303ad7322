/**
 * A local OpenAI-compatible server for tests (the one fake the project allows): answers
 * /v1/chat/completions with whatever the test queues, as JSON or as an SSE stream when asked to stream.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeReply = { status: number; body?: unknown } | { content: string };

export interface FakeOpenAi {
  baseUrl: string;
  requests: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[];
  reply(r: FakeReply): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: FakeReply[] = [];
  const requests: FakeOpenAi['requests'] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = data ? (JSON.parse(data) as Record<string, unknown>) : {};
      requests.push({ headers: req.headers, body });
      const r = queue.shift() ?? { status: 500, body: { error: { message: 'no reply queued' } } };
      if ('status' in r) {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.body ?? { error: { message: `status ${r.status}`, type: 'test' } }));
        return;
      }
      const base = {
        id: 'chatcmpl-test',
        created: Math.floor(Date.now() / 1000),
        model: typeof body.model === 'string' ? body.model : 'test-model',
      };
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const piece of r.content.match(/\S+\s*|\s+/g) ?? []) {
          res.write(
            `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: piece }, finish_reason: null }] })}\n\n`,
          );
        }
        res.write(
          `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
        );
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: r.content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (r) => queue.push(r),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
