/**
 * Timeouts and retries per kind of activity. Model calls are slow and flaky but bad input or a rejected key
 * never heals; tools are quick; publishing must eventually succeed, so it retries without a limit.
 */
import type { ActivityOptions, LocalActivityOptions, RetryPolicy } from '@temporalio/workflow';

/** Error types (set by activities/failure.ts toActivityFailure) that retrying cannot fix. */
export const NON_RETRYABLE_TYPES = [
  'TicketflowError:bad_input',
  'TicketflowError:auth',
  'TicketflowError:not_found',
  'TicketflowError:policy',
  'TicketflowError:conflict',
];

/** Activities heartbeat while they run (activities/keep-alive.ts): a killed worker is noticed this soon. */
const DEAD_WORKER_NOTICED = '10 seconds';

/** A heartbeating activity that retries with doubling waits, except on errors retrying cannot fix. */
function heartbeating(
  startToCloseTimeout: ActivityOptions['startToCloseTimeout'],
  retry: Pick<RetryPolicy, 'initialInterval' | 'maximumInterval' | 'maximumAttempts'>,
): ActivityOptions {
  return {
    startToCloseTimeout,
    heartbeatTimeout: DEAD_WORKER_NOTICED,
    retry: { ...retry, backoffCoefficient: 2, nonRetryableErrorTypes: NON_RETRYABLE_TYPES },
  };
}

export const modelCallOptions = heartbeating('2 minutes', {
  initialInterval: '2s',
  maximumInterval: '1 minute',
  maximumAttempts: 5,
});

/** Drafting heartbeats while the model works, like every call: a killed worker costs seconds, not the 5 minutes. */
export const draftingOptions = heartbeating('5 minutes', {
  initialInterval: '2s',
  maximumInterval: '1 minute',
  maximumAttempts: 4,
});

export const toolOptions = heartbeating('30 seconds', {
  initialInterval: '1s',
  maximumInterval: '30 seconds',
  maximumAttempts: 5,
});

/** Unlimited attempts: an event the workflow has counted must reach Kafka, however long the broker is away. */
export const publishingOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: DEAD_WORKER_NOTICED,
  retry: {
    initialInterval: '500ms',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    nonRetryableErrorTypes: ['TicketflowError:bad_input'],
  },
};

/** Short reads run as local activities (in the workflow task, no round trip through the server). */
export const localLookupOptions: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500ms',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
};
