/**
 * The task guard's judgement, label by label (workflows/task-guard.ts). The first case has the labels the
 * worker gave in test/workflow/query-applied-completion.test.ts (and, by their histories, in the chaos run's
 * test/fixtures/stuck/chaos-review-after-draft-*.json): the draft started in the task that began at event 22;
 * a state query applied its completion (event 28) under length 29 and that task's time; the review came in
 * the task that began at event 30. The old guard, which compared only equal lengths or equal times, accepted
 * the review there; it must be refused, once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TaskGuard, type TaskLabel } from '../../workflows/task-guard';

/** A guard whose activations carry the label the test sets, and a way to settle what it watches. */
function guardAt(first: TaskLabel) {
  let label = first;
  const guard = new TaskGuard(() => label);
  const settle = async () => new Promise((r) => setImmediate(r));
  return {
    guard,
    settle,
    at: (historyLength: number, timeMs: number) => (label = { historyLength, timeMs }),
    pending<T>() {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const p = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
      p.catch(() => undefined);
      return { p, resolve, reject };
    },
  };
}

describe('the task guard', () => {
  test('a completion applied under its starter task label: the next task refuses updates, once', async () => {
    const g = guardAt({ historyLength: 22, timeMs: 1_000 });
    const draft = g.pending<string>();
    void g.guard.watch(draft.p);
    // Applied outside any task, for a query: the history's length so far, the draft's task's time.
    g.at(29, 1_000);
    draft.resolve('v1');
    await g.settle();
    g.at(30, 5_000);
    assert.equal(g.guard.resolvedInThisTask(), true, 'the review in the task that sends the draft commands');
    assert.equal(g.guard.resolvedInThisTask(), true, 'asked again in the same task');
    g.at(33, 6_000);
    assert.equal(g.guard.resolvedInThisTask(), false, 'the retry, in a later task');
  });

  test('a completion under its starter task label, or an older one: the same', async () => {
    const g = guardAt({ historyLength: 22, timeMs: 1_000 });
    const draft = g.pending<string>();
    void g.guard.watch(draft.p);
    g.at(22, 900);
    draft.resolve('v1');
    await g.settle();
    g.at(40, 5_000);
    assert.equal(g.guard.resolvedInThisTask(), true);
    g.at(43, 6_000);
    assert.equal(g.guard.resolvedInThisTask(), false);
  });

  test('a completion in a later task: updates in that task are refused, in the next accepted', async () => {
    const g = guardAt({ historyLength: 22, timeMs: 1_000 });
    const draft = g.pending<string>();
    void g.guard.watch(draft.p);
    g.at(30, 5_000);
    draft.resolve('v1');
    await g.settle();
    assert.equal(g.guard.resolvedInThisTask(), true);
    g.at(33, 6_000);
    assert.equal(g.guard.resolvedInThisTask(), false);
  });

  test('labels fewer than three events apart are one task, even at another time', async () => {
    const g = guardAt({ historyLength: 22, timeMs: 1_000 });
    const done = g.pending<void>();
    void g.guard.watch(done.p);
    g.at(29, 4_000);
    done.resolve();
    await g.settle();
    g.at(30, 5_000);
    assert.equal(g.guard.resolvedInThisTask(), true);
  });

  test('a local activity and a cancelled timer settle in their own task without suspicion', async () => {
    const g = guardAt({ historyLength: 22, timeMs: 1_000 });
    const lookup = g.pending<string>();
    void g.guard.watch(lookup.p, true);
    lookup.resolve('sop');
    const timer = g.pending<void>();
    void g.guard.watch(timer.p);
    const { CancelledFailure } = await import('@temporalio/workflow');
    timer.reject(new CancelledFailure('cancelled'));
    await g.settle();
    assert.equal(g.guard.resolvedInThisTask(), true, 'busy in the task itself');
    g.at(25, 2_000);
    assert.equal(g.guard.resolvedInThisTask(), false, 'the next task accepts at once');
  });

  test('nothing resolved yet: accepted', () => {
    const g = guardAt({ historyLength: 3, timeMs: 1_000 });
    assert.equal(g.guard.resolvedInThisTask(), false);
  });
});
