/**
 * An update the ticket refused as busy (workflows/task-guard.ts) recorded nothing and is sent again; any other
 * refusal reaches the caller at once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { retryWhileBusy } from '../../client/busy-retry';
import { TICKET_BUSY } from '../../client/contract';

const refusal = (type: string) =>
  new WorkflowUpdateFailedError(
    'update failed',
    ApplicationFailure.create({ message: type, type, nonRetryable: true }),
  );

describe('retryWhileBusy', () => {
  test('sends a busy-refused update again until it is taken', async () => {
    let calls = 0;
    const got = await retryWhileBusy(async () => {
      calls += 1;
      if (calls < 3) throw refusal(TICKET_BUSY);
      return 'taken';
    });
    assert.equal(got, 'taken');
    assert.equal(calls, 3);
  });

  test('passes any other refusal through at once', async () => {
    let calls = 0;
    await assert.rejects(
      retryWhileBusy(async () => {
        calls += 1;
        throw refusal('TicketRejected');
      }),
      WorkflowUpdateFailedError,
    );
    assert.equal(calls, 1);
  });
});
