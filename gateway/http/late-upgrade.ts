/**
 * A WebSocket upgrade written after the upgrade handler returned, because an asynchronous check (the shared
 * store) came first. It is written inside `cork`, as uWS wants for any write outside the handler's tick. This
 * uWS build's cork, after an upgrade that reallocated the socket in place, may take it for a finished
 * "Connection: close" response and shut it (1006; README); without cork uWS warns on every upgrade. So the
 * route's close handler asks `droppedInUpgrade` and logs each such drop; the clients reconnect.
 */
import type { HttpResponse, us_socket_context_t } from 'uWebSockets.js';

export interface LateUpgrader {
  upgrade<T extends { connId: number }>(
    res: HttpResponse,
    data: T,
    secKey: string,
    protocol: string,
    extensions: string,
    context: us_socket_context_t,
  ): void;
  /** True while `connId`'s own upgrade is running: its socket closed inside it. */
  droppedInUpgrade(connId: number): boolean;
}

export function lateUpgrader(): LateUpgrader {
  let upgrading: number | undefined; // uWS copies the user data, so the id, not the object, marks it
  return {
    upgrade(res, data, secKey, protocol, extensions, context) {
      upgrading = data.connId;
      try {
        res.cork(() => res.upgrade(data, secKey, protocol, extensions, context));
      } finally {
        upgrading = undefined;
      }
    },
    droppedInUpgrade: (connId) => connId === upgrading,
  };
}
