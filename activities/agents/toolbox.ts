/**
 * Least privilege: an agent gets a toolbox holding only the tools its SOP names. Calling anything else
 * throws, whatever the ticket says.
 */
import type { Sop, ToolRun } from '../../core/domain';
import { TicketflowError } from '../../core/errors';
import { redactDeep } from '../../core/pii';

export type ToolFn = (input: Record<string, unknown>) => Promise<ToolRun> | ToolRun;

export interface Toolbox {
  allowed(name: string): boolean;
  call(name: string, input: Record<string, unknown>): Promise<ToolRun>;
  readonly runs: ToolRun[];
}

export function createToolbox(sop: Sop, all: Record<string, ToolFn>): Toolbox {
  const allowed = new Set(sop.allowedTools);
  const runs: ToolRun[] = [];
  return {
    runs,
    allowed: (name) => allowed.has(name) && name in all,
    async call(name, input) {
      if (!allowed.has(name)) throw new TicketflowError('policy', `tool ${name} is not allowed by SOP ${sop.id}`);
      const fn = all[name];
      if (!fn) throw new TicketflowError('internal', `tool ${name} is named by SOP ${sop.id} but not installed`);
      let result: ToolRun;
      try {
        result = await fn(input);
      } catch (err) {
        if (err instanceof TicketflowError && !err.retriable) result = { tool: name, ok: false, summary: err.message, output: {} };
        else throw err;
      }
      const clean = { ...result, output: redactDeep(result.output) };
      runs.push(clean);
      return clean;
    },
  };
}
