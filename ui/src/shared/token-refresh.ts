/**
 * Keeps a page's access token fresh: shortly before it expires, `POST /v1/session/refresh` swaps it for a new
 * one (the same person, a new expiry) and every open TicketStream moves to a socket opened with it, resuming
 * with `since`. The stream never meets TOKEN_EXPIRED (4002), so the person notices nothing. When the session
 * is over (401), the page is left as it was: the stream's own 4002 path then tells the person.
 */
import { ApiFailure, type ApiClient } from './api';
import { getToken, setToken } from './token';

/** Dispatched on `window` after the token was swapped (TicketStream listens). */
export const TOKEN_REFRESHED = 'ticketflow:token-refreshed';

/** The token's `exp` in epoch ms. Not verified: the server checks the token, this only times the refresh. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const payload = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Refresh this long before expiry: a fifth of what is left, at least 3 s (a new socket must open in it: a
 * ws-ticket, then the snapshot query, which can take seconds on a loaded machine). */
function leadMs(remainingMs: number): number {
  return Math.min(60_000, Math.max(3_000, remainingMs / 5));
}

/** Refreshes the token in `slot` before each expiry, through `api` (which sends that slot's token). */
export function keepTokenFresh(slot: string, api: ApiClient): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const remaining = () => {
    const token = getToken(slot);
    const exp = token ? tokenExpiry(token) : undefined;
    return exp === undefined ? undefined : exp - Date.now();
  };
  const plan = () => {
    const left = remaining();
    if (left === undefined || stopped) return;
    timer = setTimeout(() => void refresh(), Math.max(0, left - leadMs(left)));
  };
  const refresh = async () => {
    if (stopped) return;
    try {
      const fresh = await api.post<{ token: string }>('/v1/session/refresh', {});
      setToken(slot, fresh.token);
      window.dispatchEvent(new Event(TOKEN_REFRESHED));
      plan();
    } catch (err) {
      // Over (401/403) or not offered by this gateway (501): nothing to retry.
      if (err instanceof ApiFailure && err.status >= 400 && err.status < 500) return;
      if (err instanceof ApiFailure && err.status === 501) return;
      const left = remaining();
      if (left !== undefined && left > 0 && !stopped)
        timer = setTimeout(() => void refresh(), Math.min(5_000, left / 2));
    }
  };
  plan();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
