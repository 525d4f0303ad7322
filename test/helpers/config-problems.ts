/** The problems loadConfig names for an environment it must refuse (the test fails if it accepts it). */
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../core/config';

export function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail(`config accepted ${JSON.stringify(env)}`);
}
