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

type Label = [historyLength: number, timeMs: number];

/**
 * An activity started in the task labelled (22, 1000) settles under `settledAt` (after a task at `between`,
 * if given, in which something else settled); then the update's validator
 * asks at each label of `asks` in turn, and must get the answer beside it.
 */
const activityCases: { name: string; between?: Label; settledAt: Label; asks: [Label, boolean, string][] }[] = [
  {
    // The query's activation: the history's length so far, the draft's task's time.
    name: 'a completion applied for a query: the next task refuses updates, once',
    settledAt: [29, 1_000],
    asks: [
      [[30, 5_000], true, 'the review in the task that sends the draft commands'],
      [[30, 5_000], true, 'asked again in the same task'],
      [[33, 6_000], false, 'the retry, in a later task'],
    ],
  },
  {
    name: 'a completion under its starter task length and an older time: the same',
    settledAt: [22, 900],
    asks: [
      [[40, 5_000], true, 'the first task after it'],
      [[43, 6_000], false, 'the one after'],
    ],
  },
  {
    // A publish completed in the task at 25 while the draft ran; the query's activation then carries that
    // task's time and the history's length so far.
    name: 'a completion applied for a query after another task: the time of the last task, another length',
    between: [25, 2_000],
    settledAt: [32, 2_000],
    asks: [
      [[35, 5_000], true, 'the first task after it'],
      [[38, 6_000], false, 'the retry'],
    ],
  },
  {
    name: 'a completion in a later task: updates in that task are refused, in the next accepted',
    settledAt: [30, 5_000],
    asks: [
      [[30, 5_000], true, 'the same task'],
      [[33, 6_000], false, 'the next task'],
    ],
  },
  {
    name: 'labels fewer than three events apart are one task, even at another time',
    settledAt: [29, 4_000],
    asks: [[[30, 5_000], true, 'one event later']],
  },
];

describe('the task guard', () => {
  for (const c of activityCases) {
    test(c.name, async () => {
      const g = guardAt({ historyLength: 22, timeMs: 1_000 });
      const activity = g.pending<string>();
      void g.guard.watch(activity.p);
      if (c.between) {
        // Another task ran meanwhile, and the guard saw it (a publish settling there).
        const other = g.pending<void>();
        void g.guard.watch(other.p);
        g.at(...c.between);
        other.resolve();
        await g.settle();
      }
      g.at(...c.settledAt);
      activity.resolve('done');
      await g.settle();
      for (const [label, busy, what] of c.asks) {
        g.at(...label);
        assert.equal(g.guard.resolvedInThisTask(), busy, what);
      }
    });
  }

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
