/**
 * The Temporal client connection every process opens (client/connection.ts) against the SDK's retry timer: a
 * call that failed just before close() has its retry scheduled; when that timer fires after close, the call
 * must end with an error, not throw "Channel has been shut down" from the timer (an uncaught exception that
 * failed team-desk after its tests passed, CI trial H). A loopback gRPC server answers UNAVAILABLE, a status
 * the SDK retries, so the test holds the order: first attempt answered, close, timer fires.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Server, ServerCredentials, status, type ServiceError } from '@grpc/grpc-js';
import { temporalConnection } from '../../client';

const GET_SYSTEM_INFO = '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo';

/** A server whose GetSystemInfo always answers UNAVAILABLE; `attempts` counts the calls that reached it. */
async function unavailableServer() {
  const server = new Server();
  const attempts: number[] = [];
  let firstAttempt: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (firstAttempt = resolve));
  const raw = (b: Buffer) => b;
  server.register(
    GET_SYSTEM_INFO,
    (_call: unknown, callback: (err: Partial<ServiceError>) => void) => {
      attempts.push(Date.now());
      callback({ code: status.UNAVAILABLE, details: 'down for the test' });
      firstAttempt();
    },
    raw,
    raw,
    'unary',
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, attempts, answered, stop: () => server.forceShutdown() };
}

void describe('the Temporal client connection', () => {
  void test('a retry whose timer fires after close() ends its call with CANCELLED, and nothing throws', async () => {
    const server = await unavailableServer();
    const uncaught: Error[] = [];
    const onUncaught = (err: Error) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const connection = temporalConnection({ address: server.address });
      const pending = connection.workflowService.getSystemInfo({}).then(
        () => undefined,
        (err: ServiceError) => err,
      );
      // The server has answered the first attempt; the answer reaches the client on a later turn, so the
      // retry interceptor schedules its retry after this close.
      await server.answered;
      await connection.close();
      // The retry's timer (about 170 ms) fires after close: the call ends, or the timer throws.
      const settled = await Promise.race([
        pending,
        new Promise<'threw'>((resolve) => process.once('uncaughtException', () => resolve('threw'))),
      ]);
      assert.deepEqual(uncaught, [], 'no uncaught exception from the retry timer');
      assert.notEqual(settled, 'threw');
      assert.equal((settled as ServiceError | undefined)?.code, status.CANCELLED, String(settled));
      assert.equal(server.attempts.length, 1, 'no attempt reached the server after close');
    } finally {
      process.off('uncaughtException', onUncaught);
      server.stop();
    }
  });

  void test('each call is told once by its method, however many attempts it takes', async () => {
    const server = await unavailableServer();
    const told: string[] = [];
    const connection = temporalConnection({ address: server.address, maxAttempts: 3, onCall: (m) => told.push(m) });
    try {
      const err = await connection.workflowService.getSystemInfo({}).then(
        () => undefined,
        (e: ServiceError) => e,
      );
      assert.equal(err?.code, status.UNAVAILABLE, String(err));
      assert.equal(server.attempts.length, 3, 'the retries reached the server');
      assert.deepEqual(told, ['GetSystemInfo']);
    } finally {
      await connection.close();
      server.stop();
    }
  });
});
