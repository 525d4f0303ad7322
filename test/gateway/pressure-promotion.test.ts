/**
 * What the fan-out's pressure watch leaves to the old generation per turn (issue 15, ninth round). It cleared
 * one long-lived Set every turn, and once that Set's table was old V8 allocated every new table in the old
 * generation: promoted garbage that brings mark-compacts into the steady rate. The measurement runs in a child
 * process of its own (fixtures/): inside the test runner the same loop reads an unsteady 95-350 bytes a turn.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

void test('a turn of the pressure watch promotes no garbage', () => {
  const script = path.join(__dirname, 'fixtures', 'pressure-promotion.ts');
  const perTurn = Number(execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' }));
  // Beyond the bare loop: 127 bytes a turn with the Set cleared every turn, 5 with the array.
  assert.ok(perTurn < 40, `${perTurn.toFixed(1)} bytes a turn promoted`);
});
