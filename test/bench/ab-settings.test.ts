/**
 * bench/e2e/ab.ts compares server runtime settings by giving them to one side only (issue 9, eighth round):
 * a setting must reach the side it names and no other, and the apps' environment both sides alike.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAbSettings } from '../../bench/e2e/ab-settings';
import { devServerEnv, GO_GC_ENV, goMaxProcs, goRuntimeEnv } from '../../scripts/infra/temporal-settings';

test('A:/B: server settings reach their side only; NAME=value reaches both stacks', () => {
  const { env, sides } = parseAbSettings([
    'GUARDRAIL_MODEL=rules',
    'B:temporal.env.GOGC=200',
    'B:temporal.dc=limit.x=1',
    'A:kafka.jvm=-Xmx256m  -XX:+UseSerialGC',
    'A:kafka.prop.num.io.threads=2',
  ]);
  assert.deepEqual(env, { GUARDRAIL_MODEL: 'rules' });
  assert.deepEqual(sides[0].tuning, {
    kafka: { jvm: ['-Xmx256m', '-XX:+UseSerialGC'], props: { 'num.io.threads': '2' } },
  });
  assert.deepEqual(sides[1].tuning, { temporal: { env: { GOGC: '200' }, dynamicConfig: ['limit.x=1'] } });
  assert.deepEqual(sides[1].given, ['temporal.env.GOGC=200', 'temporal.dc=limit.x=1']);
});

test('a server setting of no known kind is refused, not dropped', () => {
  assert.throws(() => parseAbSettings(['B:kafka.heap=1g']), /not a server setting/);
  assert.throws(() => parseAbSettings(['B:GOGC']), /not a NAME=value setting/);
});

test("the dev server gets the measured Go runtime settings, a caller's own GOGC over them, a bench's over both", () => {
  // The caller's environment is given, not read: a shell or CI that exports GOMEMLIMIT must not decide the test.
  const fromNothing = devServerEnv({}, {});
  assert.equal(fromNothing.GOGC, GO_GC_ENV.GOGC);
  assert.equal(fromNothing.GOMEMLIMIT, GO_GC_ENV.GOMEMLIMIT);
  assert.equal(fromNothing.GOMAXPROCS, goMaxProcs());
  assert.equal(devServerEnv({}, { GOGC: '150' }).GOGC, '150');
  assert.equal(devServerEnv({ GOGC: '100' }, { GOGC: '150' }).GOGC, '100');
});

test("the dev server's Go scheduler gets one core on a machine of two, its own default on a larger one", () => {
  assert.deepEqual(
    [1, 2, 3, 4, 8].map((n) => goMaxProcs(n)),
    ['1', '1', undefined, undefined, undefined],
  );
  assert.equal(goRuntimeEnv(2).GOMAXPROCS, '1');
  assert.ok(!('GOMAXPROCS' in goRuntimeEnv(8)), 'no GOMAXPROCS on 8 cores');
});
