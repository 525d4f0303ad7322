/**
 * An update the ticket refused as busy (workflows/task-guard.ts) or the server refused as unprocessed recorded
 * nothing and is sent again; any other refusal reaches the caller at once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { retryWhileBusy, UNPROCESSED_UPDATE } from '../../client/busy-retry';
import { TICKET_BUSY } from '../../client/contract';
import { mapTicketError } from '../../client/errors';
import { TicketflowError } from '../../core/errors';

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

  test('sends again an update the server refused because no worker processed it (after a worker kill)', async () => {
    let calls = 0;
    const got = await retryWhileBusy(async () => {
      calls += 1;
      if (calls < 2) throw refusal(UNPROCESSED_UPDATE);
      return 'taken';
    });
    assert.equal(got, 'taken');
    assert.equal(calls, 2);
  });

  test('a refusal still left after the resends tells the caller to retry (503), not a final 409', async () => {
    for (const type of [TICKET_BUSY, UNPROCESSED_UPDATE]) {
      const mapped = await mapTicketError(refusal(type), 't-1', async () => null);
      assert.ok(mapped instanceof TicketflowError);
      assert.equal(mapped.code, 'upstream_unavailable', type);
    }
    const rejected = await mapTicketError(refusal('TicketRejected'), 't-1', async () => null);
    assert.equal((rejected as TicketflowError).code, 'conflict');
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
