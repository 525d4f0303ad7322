/**
 * The workflow lint has teeth: an import that would put I/O or nondeterminism into workflow code is reported,
 * and what workflow code legitimately imports is not. The probe is linted as if it were a file in workflows/
 * (without type information, so the type-checked rules are off and only the import rules matter here).
 */
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [
    tseslint.configs.disableTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: {
        '@typescript-eslint/consistent-type-imports': 'off',
        '@typescript-eslint/no-unused-vars': 'off',
      },
    },
  ],
});

/** The restricted-import messages for one line of a file in workflows/steps/. */
async function reported(line: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${line}\n`, { filePath: path.join(root, 'workflows/steps/lint-probe.ts') });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('workflow determinism lint', () => {
  const bad = [
    "import fs from 'fs';",
    "import { readFile } from 'node:fs/promises';",
    "import { randomUUID } from 'crypto';",
    "import { setTimeout } from 'timers/promises';",
    "import { createActivities } from '../../activities';",
    "import { createPublisher } from '../../activities/events';",
    "import { config } from '../../core/config';",
    "import { createLogger } from '../../core/logger';",
    "import { kafka } from '../../core/kafka';",
    "import { createTicketClient } from '../../client';",
    "import { Kafka } from 'kafkajs';",
    "import { Client } from '@temporalio/client';",
    "import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';",
    "import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry/lib/worker';",
    "import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';",
  ];
  for (const line of bad) {
    test(`reports: ${line}`, async () => {
      assert.ok((await reported(line)).length >= 1, line);
    });
  }

  test('reports every Node built-in, with and without node:', async () => {
    const names = builtinModules.filter((m) => !m.startsWith('_') && !m.startsWith('node:'));
    const missed: string[] = [];
    for (const name of names) {
      for (const spec of [name, `node:${name}`])
        if ((await reported(`import x from '${spec}';`)).length === 0) missed.push(spec);
    }
    assert.deepEqual(missed, []);
  });

  const good = [
    "import type { TicketActivities } from '../../activities';",
    "import { reviewDecisionSchema } from '../../core/domain';",
    "import { EVENT_SCHEMA_VERSION } from '../../core/events';",
    "import { EVENT_SCHEMA_VERSION } from '../../core/event-version';",
    "import { limits } from '../../core/ticket-actions';",
    "import { condition } from '@temporalio/workflow';",
    "import { z } from 'zod';",
    "export { interceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';",
  ];
  for (const line of good) {
    test(`allows: ${line}`, async () => {
      assert.deepEqual(await reported(line), [], line);
    });
  }
});
