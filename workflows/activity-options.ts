/**
 * Timeouts and retries per kind of activity. Model calls are slow and flaky but bad input or a rejected key
 * never heals; tools are quick; publishing must eventually succeed, so it retries without a limit.
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

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

export const modelCallOptions: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: DEAD_WORKER_NOTICED,
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
};

/** Drafting heartbeats while the model works, like every call: a killed worker costs seconds, not the 5 minutes. */
export const draftingOptions: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: DEAD_WORKER_NOTICED,
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 4,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
};

export const toolOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: DEAD_WORKER_NOTICED,
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
  },
};

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
