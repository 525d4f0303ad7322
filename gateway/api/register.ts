/**
 * The HTTP API of the gateway: `registerApiRoutes(app, ctx)` adds every /v1 route (except the WebSocket
 * stream and ws-tickets, which the gateway owns) to a uWS app.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import type { ApiContext } from './context';
import { registerActionRoutes } from './routes/actions';
import { registerSessionRoutes } from './routes/session';
import { registerTicketRoutes } from './routes/tickets';

export type { ApiContext, Principal, TicketApiPort } from './context';

export function registerApiRoutes(app: TemplatedApp, ctx: ApiContext): void {
  registerTicketRoutes(app, ctx);
  registerActionRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
}
