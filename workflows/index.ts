/** The workflow bundle's entry: what the worker (workflowsPath / prebuilt bundle) registers. */
export { ticketWorkflow } from './ticket-workflow';
