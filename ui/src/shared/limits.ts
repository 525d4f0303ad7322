/** The contract's limits (core/limits.ts), bundled into the pages so a form accepts exactly what the API does. */
export { limits } from '../../../core/limits';
