/**
 * Bearer tokens in the browser. A link may carry one in the fragment (`#token=...`, never sent to a server
 * or written to access logs); it is moved to sessionStorage at once and the fragment cleared, so it does not
 * linger in the address bar, history or screenshots. sessionStorage keeps it across reloads of this tab only.
 */
const PREFIX = 'ticketflow.token.';

export function takeTokenFromHash(slot: string): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token) {
    sessionStorage.setItem(PREFIX + slot, token);
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  }
  return sessionStorage.getItem(PREFIX + slot);
}

export function getToken(slot: string): string | null {
  return sessionStorage.getItem(PREFIX + slot);
}

export function setToken(slot: string, token: string): void {
  sessionStorage.setItem(PREFIX + slot, token);
}
