/**
 * Every error a Kafka client's failure carries: kafkajs wraps its cause in `cause` or `originalError`,
 * @platformatic/kafka gathers a request's errors in an AggregateError's `errors`, each with the broker's
 * error name in `apiId`. Read by the supervisor to tell an unreachable broker (reconnect.ts) and a refused
 * principal (fetch-session.ts) from other failures.
 */
export function* errorChain(err: unknown, depth = 0): Generator<Error> {
  if (!(err instanceof Error) || depth > 5) return;
  yield err;
  const e = err as { cause?: unknown; originalError?: unknown; errors?: unknown };
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* errorChain(inner, depth + 1);
  yield* errorChain(e.cause ?? e.originalError, depth + 1);
}

/** The broker's error names in a failure (kafkajs's `type`, @platformatic/kafka's `apiId`), each once. */
export function brokerErrorNames(err: unknown): string[] {
  const names = new Set<string>();
  for (const e of errorChain(err)) {
    const { type, apiId } = e as { type?: unknown; apiId?: unknown };
    for (const name of [type, apiId]) if (typeof name === 'string') names.add(name);
  }
  return [...names];
}

/** A failure's message with the broker's error names, which @platformatic/kafka keeps out of its message. */
export function describeKafkaFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const names = brokerErrorNames(err).filter((n) => !message.includes(n));
  return names.length === 0 ? message : `${message} (${names.join(', ')})`;
}

/** The broker refused the principal (a topic's, a group's or the cluster's ACL). */
export function isAuthorizationFailure(err: unknown): boolean {
  return brokerErrorNames(err).some((n) => n.endsWith('AUTHORIZATION_FAILED'));
}
