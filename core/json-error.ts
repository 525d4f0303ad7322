/**
 * Where a JSON text failed to parse, without its content. V8's message quotes the text ("Unexpected token
 * 'p', \"password=h\"... is not valid JSON"), and the callers' text may be a secret: an API body (the answer,
 * and any proxy's log of it) or a Kafka record (the gateway's log).
 */
export function jsonErrorWhere(err: unknown): string {
  const at = /at position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
  return at === undefined ? '' : ` at position ${at}`;
}
