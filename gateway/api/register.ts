/**
 * The HTTP API of the gateway: `registerApiRoutes(app, ctx)` adds every /v1 route (except the WebSocket
 * stream and ws-tickets, which the gateway owns) to a uWS app. `consoleRoutes({ tickets })` is the
 * `registerRoutes` plug for createGateway: the API plus the built UI.
 */
import type { Tracer } from '@opentelemetry/api';
import type { TemplatedApp } from 'uWebSockets.js';
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { registerStaticRoutes } from '../static/serve';
import type { RateLimits } from '../limits/rate-limits';
import type { ApiAuth, ApiContext, SopApprovals, TicketApiPort } from './context';
import type { DeskStore } from '../desk/store';
import { registerActionRoutes } from './routes/actions';
import { registerAnalyticsRoutes } from './routes/analytics';
import { registerDeskRoutes } from './routes/desk';
import { registerSessionRoutes } from './routes/session';
import { registerSopRoutes } from './routes/sops';
import { registerTicketRoutes } from './routes/tickets';

export type { ApiContext, Principal, TicketApiPort } from './context';

export function registerApiRoutes(app: TemplatedApp, ctx: ApiContext): void {
  registerTicketRoutes(app, ctx);
  registerActionRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerSopRoutes(app, ctx);
  registerDeskRoutes(app, ctx);
  registerAnalyticsRoutes(app, ctx);
}

export interface ConsoleRoutesOptions {
  tickets: TicketApiPort;
  /** Where the built UI is; defaults to ui/dist. */
  uiDistDir?: string;
  /** The SOP library's approvals (POST /v1/sops/:id/approve). */
  sops?: SopApprovals;
  /** Assignments and presence (gateway/desk). */
  desk?: DeskStore;
  /** Serve the UI too (default true). */
  ui?: boolean;
}

/** For `createGateway({ registerRoutes: consoleRoutes({ tickets }) })`. */
export function consoleRoutes(opts: ConsoleRoutesOptions) {
  return (
    app: TemplatedApp,
    gw: { config: Config; auth: ApiAuth; logger: Logger; limits?: RateLimits; tracer?: Tracer },
  ): void => {
    const logger = gw.logger.child({ component: 'gateway-api' });
    registerApiRoutes(app, {
      config: gw.config,
      auth: gw.auth,
      logger,
      tickets: opts.tickets,
      limits: gw.limits,
      tracer: gw.tracer,
      ...(opts.sops ? { sops: opts.sops } : {}),
      ...(opts.desk ? { desk: opts.desk } : {}),
    });
    if (opts.ui !== false) registerStaticRoutes(app, { distDir: opts.uiDistDir, logger });
  };
}
