/**
 * The version every event and alert envelope carries (core/events.ts), in a module of its own without zod:
 * the workflow stamps it on each event, and the SDK evaluates a workflow's imports afresh for every run, so
 * importing it from core/events built that module's schemas once per ticket for one number (2.3 % of the
 * workflow thread's CPU, docs/benchmarks.md).
 */
export const EVENT_SCHEMA_VERSION = 1 as const;
