/** The contract's limits (core/limits.ts, read by core/ticket-actions.ts), bundled so a form accepts what the API does. */
export { limits } from '../../../core/limits';
