/**
 * Modules every workflow bundle evaluates once per workflow thread, before the SDK freezes the sandbox's
 * globals (`bundlerOptions.preloadModules`). Only code that sets the sandbox up belongs here: a preloaded
 * module is frozen and shared by every run, so one holding state (zod's schemas, say) breaks the runs.
 */
import path from 'node:path';

export const WORKFLOW_PRELOAD_MODULES = [require.resolve(path.join(__dirname, '..', 'workflows', 'stack-depth'))];
