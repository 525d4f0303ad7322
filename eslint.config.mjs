// Lint only for what matters here: promises that are never awaited, type-only imports, and workflow
// code that reaches for I/O (Node built-ins, clients) or wall-clock time, which would break replay.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow code (workflows/) runs in Temporal's sandbox and is replayed: it may import only what is pure.
// Every Node built-in, with and without `node:` (the list comes from Node itself, so a new one is covered).
const builtins = [...new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])))];
export const workflowBannedPaths = builtins.map((name) => ({
  name,
  message: 'Workflow code is deterministic: no Node built-ins.',
}));
export const workflowBannedPatterns = [
  { group: ['node:*'], message: 'Workflow code is deterministic: no Node built-ins.' },
  // Activities are called through proxyActivities<typeof activities>: their types, never their code.
  {
    group: ['**/activities', '**/activities/**'],
    allowTypeImports: true,
    message: 'Workflow code imports activities by type only (proxyActivities).',
  },
  // Of core/, only the pure modules: the rest reads the environment, logs, or talks to Kafka, models, stores.
  {
    group: [
      '**/core/**',
      '!**/core/domain',
      '!**/core/events',
      '!**/core/event-version',
      '!**/core/ticket-actions',
      '!**/core/limits',
    ],
    message:
      'Workflow code does no I/O: only core/domain, core/events, core/event-version, core/ticket-actions and core/limits are workflow-safe (call an activity instead).',
  },
  {
    group: [
      '**/gateway/**',
      '**/client',
      '**/client/**',
      '**/scripts/**',
      '**/ui/**',
      '**/worker',
      '**/intelligence/**',
    ],
    message: 'Workflow code does no I/O: call an activity instead.',
  },
  {
    group: [
      'kafkajs',
      'uWebSockets.js',
      '@temporalio/client',
      '@temporalio/worker',
      '@temporalio/testing',
      'better-sqlite3',
      'pg',
      '@langchain/*',
      'openai',
      'winston',
      'onnxruntime-node',
      '@huggingface/*',
      '@opentelemetry/sdk-trace-node',
      '@opentelemetry/exporter-*',
    ],
    message: 'Workflow code does no I/O: call an activity instead.',
  },
  // The SDK's OpenTelemetry package: its entry point and worker/client parts export spans by I/O; only the
  // interceptors written for the sandbox (lib/workflow, lib/workflow-interceptors) belong in workflow code.
  {
    regex: '^@temporalio/interceptors-opentelemetry(?!/lib/workflow(?:-interceptors)?$)',
    message:
      "Workflow code takes only the SDK's sandbox interceptors (lib/workflow-interceptors), never its exporters.",
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'ui/dist/**', 'dist/**', 'data/**', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself tracks.
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      // Activities and store ports are async by contract; a synchronous implementation (SQLite, in memory) of
      // an async port is right without an await.
      '@typescript-eslint/require-await': 'off',
      // kafkajs payload callbacks and activity objects are closures that need no `this`; destructuring them is safe.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: workflowBannedPaths, patterns: workflowBannedPatterns }],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Use workflow time (Date is replaced in the sandbox) or a timer; never wall-clock in logic.',
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
      ],
    },
  },
);
