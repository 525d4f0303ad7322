/**
 * The one way a process opens a client connection to Temporal (the gateway and ticketctl through
 * connectTicketClient, the test stack directly). The worker's connection is the SDK's native one, whose retries
 * live in sdk-core, not in a JS timer.
 *
 * Why not `Connection.lazy` as it comes: the SDK's gRPC retry interceptor sends each retry from a timer, and a
 * retry that fires after close() calls into the closed channel, which throws "Channel has been shut down" from
 * that timer: an uncaught exception that ends the process (CI trial H: a test file failed after its tests had
 * passed). Here every call that reaches the channel after close(), a retry included, ends with CANCELLED
 * instead, so whoever waits on it gets an error and nothing throws.
 */
import { InterceptingCall, Metadata, status, type Interceptor } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

export interface TemporalConnectionOptions {
  address: string;
  /** Attempts per gRPC call while Temporal does not answer. @default 10 (the SDK's: some 20 s of retries) */
  maxAttempts?: number;
  /**
   * Told each call once, retries not counted, by its method (`QueryWorkflow`): the gateway counts what a
   * ticket asks of Temporal, the figure issue 9's benchmark reads.
   */
  onCall?: (method: string) => void;
}

/** Lazy: nothing is dialled until the first call (`await connection.ensureConnected()` to dial now). */
export function temporalConnection(opts: TemporalConnectionOptions): Connection {
  let closed = false;
  const refuseOnceClosed: Interceptor = (options, nextCall) =>
    new InterceptingCall(closed ? closedCall() : nextCall(options));
  const onCall = opts.onCall;
  // Outside the retry interceptor, so a call is told once however many attempts it takes.
  const countCalls: Interceptor[] = onCall
    ? [
        (options, nextCall) => {
          const path = options.method_definition.path;
          try {
            onCall(path.slice(path.lastIndexOf('/') + 1));
          } catch {
            // A metric: its failure must not fail the call it counts.
          }
          return new InterceptingCall(nextCall(options));
        },
      ]
    : [];
  const connection = Connection.lazy({
    address: opts.address,
    // Each wraps the next: every attempt the retry interceptor makes passes the guard.
    interceptors: [
      ...countCalls,
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: opts.maxAttempts })),
      refuseOnceClosed,
    ],
  });
  const close = connection.close.bind(connection);
  connection.close = () => {
    closed = true;
    return close();
  };
  return connection;
}

/** A call that never reaches the channel: it answers CANCELLED, on a later turn as a real call would. */
function closedCall(): ConstructorParameters<typeof InterceptingCall>[0] {
  const ignore = () => undefined;
  return {
    start(_metadata, listener) {
      setImmediate(() =>
        listener?.onReceiveStatus?.({
          code: status.CANCELLED,
          details: 'the Temporal connection is closed',
          metadata: new Metadata(),
        }),
      );
    },
    sendMessage: ignore,
    sendMessageWithContext: ignore,
    halfClose: ignore,
    startRead: ignore,
    cancelWithStatus: ignore,
    getPeer: () => 'closed',
    getAuthContext: () => null,
  };
}
