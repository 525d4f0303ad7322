/**
 * axe-core in the page under test, loaded from node_modules (no CDN): the serious and critical violations,
 * each as "rule: target" so a failure names what to fix. Every run also appends the page's counts (rules
 * violated and nodes, per impact) to test-results/axe.jsonl, so a run of the browser tests says what axe
 * found on each page, whatever it asserts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
  passes: unknown[];
}

export const AXE_LOG = path.resolve(__dirname, '..', '..', 'test-results', 'axe.jsonl');

function record(page: Page, label: string | undefined, result: AxeResult): void {
  const rules: Record<string, number> = {};
  const ids = result.violations.map((v) => `${v.id} (${v.impact ?? 'none'})`);
  const nodes: Record<string, number> = {};
  for (const v of result.violations) {
    const impact = v.impact ?? 'none';
    rules[impact] = (rules[impact] ?? 0) + 1;
    nodes[impact] = (nodes[impact] ?? 0) + v.nodes.length;
  }
  // The path only: the address's fragment may hold a token.
  const line = { page: new URL(page.url()).pathname, label, passes: result.passes.length, rules, nodes, ids };
  fs.mkdirSync(path.dirname(AXE_LOG), { recursive: true });
  fs.appendFileSync(AXE_LOG, `${JSON.stringify(line)}\n`);
}

export async function seriousViolations(page: Page, label?: string): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(() => (window as unknown as { axe: { run(): Promise<AxeResult> } }).axe.run());
  record(page, label, result);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${JSON.stringify(n.target)}`));
}

/** Fails the test on any serious or critical violation, naming them; `label` names the page in the log. */
export async function assertAxeClean(page: Page, label: string): Promise<void> {
  assert.deepEqual(await seriousViolations(page, label), [], `axe on ${label}`);
}
