/**
 * How many frames a stack captured in the workflow sandbox keeps. The SDK's promise hook captures a stack for
 * every promise a run makes (for the stack-trace query) and looks each frame up in the bundle's source map;
 * that was 28 % of the workflow thread's CPU with V8's default of 10 frames (docs/benchmarks.md, issue 9).
 * The first two frames are the hook's own and are dropped; the four left still reach from the `condition` a
 * ticket waits on through its step to the phase loop, which is what the Web UI's "Stack Trace" tab is read for.
 *
 * Preloaded (worker-ops/preload.ts): evaluated once per workflow thread before the SDK freezes the sandbox's
 * globals, so a run cannot change it and no run pays for it.
 */
Error.stackTraceLimit = 6;
