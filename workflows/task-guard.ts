/**
 * Why an update can be refused as "busy, try again" (issue 10, the stuck ticket).
 *
 * Core hands the workflow its work in activations. Inside one activation it orders the jobs itself: updates
 * and signals first, activity and timer resolutions after (sdk-core `sort_act_jobs`; temporalio/sdk-rust#639),
 * so an update delivered together with a completion is accepted before the code woken by that completion
 * adds its commands. But one workflow task can be cut into several activations, and the live cut need not be
 * the replay cut: after a worker is killed, the cold worker that takes the task may resolve the completion in
 * one activation and deliver the update in the next, while the replay folds both into one activation
 * (the legacy workflow-task chunker; temporalio/sdk-python#1591, temporalio/sdk-rust#943, #1597). Live, the
 * commands the completion caused are written before the update's acceptance; on replay the acceptance comes
 * first, and every later task of that ticket fails with "[TMPRL1100] Update machine does not handle this
 * event". No ordering inside the workflow can fix that: the acceptance is a command the SDK writes when the
 * job runs.
 *
 * So the workflow never accepts an update after something else already resolved in the same workflow task:
 * the update's validator (it runs only live, and a refused update leaves nothing in history) refuses it with
 * `TicketBusy`, and the client sends it again, which lands it in a later task, where it is the first thing
 * that happens. An update delivered in the same activation as a completion is still accepted: Core puts it
 * first on both paths.
 *
 * A task is known by the label Core gives each activation: the history length and the workflow time. Two
 * tasks' labels differ in time, and in length by at least 3 (the earlier task's completion, the next one's
 * scheduling and start). But a completion can be applied outside any task: a state query dispatched while no
 * task was pending, taken from the normal queue (a restart lost the sticky one) after the completion arrived,
 * makes the worker apply the completion to answer it, under the old task's time and a length short of the
 * task that will carry its commands (test/workflow/query-applied-completion.test.ts; the chaos run of
 * 2026-12-01, test/fixtures/stuck/chaos-review-after-draft-*.json). A review sent on what that query showed
 * then joins that task and, accepted, lands behind the completion's commands. So labels fewer than 3 events
 * apart count as one task, and an activity's or timer's completion labelled with its starter's time or
 * length, or with the time of the last task seen under another length (never true of a completion that came
 * as news of a later task: each task has one length and one time), makes the next task refuse updates too.
 */
import { isCancellation, workflowInfo } from '@temporalio/workflow';
import { nowMs } from './util';

/** What Core tells an activation about its workflow task. */
export interface TaskLabel {
  historyLength: number;
  timeMs: number;
}

const sandboxLabel = (): TaskLabel => ({ historyLength: workflowInfo().historyLength, timeMs: nowMs() });

/** Fewer events than this between two labels: the same task (a task boundary writes three). */
const TASK_BOUNDARY_EVENTS = 3;

export class TaskGuard {
  private last: TaskLabel | null = null;
  /** The latest label seen at all (a call, a settlement, an update asking). */
  private seen: TaskLabel | null = null;
  /**
   * A completion was applied outside its task: refuse updates in the next task an update asks from (its
   * commands go out with the first task after it; a later one only costs the caller a resend).
   */
  private misplaced: { refuseAt: TaskLabel | null } | null = null;

  constructor(private readonly label: () => TaskLabel = sandboxLabel) {}

  /**
   * Notes when `p` settles (an activity or timer the workflow awaits). The note is a side branch, so the
   * code awaiting `p` resumes exactly when it would without it (old histories keep their command order).
   * `sameTask`: `p` may settle in the task that started it (a local activity), so its label proves nothing.
   */
  watch<T>(p: Promise<T>, sameTask = false): Promise<T> {
    const started = this.see();
    const note = (err?: unknown) => {
      const before = this.seen;
      const at = this.see();
      this.last = at;
      // A cancellation settles at once, in the cancelling task: not news of a later one.
      const cancelled = err !== undefined && isCancellation(err);
      const outside =
        at.historyLength <= started.historyLength ||
        at.timeMs === started.timeMs ||
        // A task has one length and one time: the time of the last task with another length is no task's.
        (before !== null && at.timeMs === before.timeMs && at.historyLength !== before.historyLength);
      if (!sameTask && !cancelled && outside) this.misplaced = { refuseAt: null };
    };
    p.then(() => note(), note);
    return p;
  }

  /** True when an update accepted now could land behind commands a completion made in this task. */
  resolvedInThisTask(): boolean {
    const now = this.see();
    if (this.misplaced) {
      this.misplaced.refuseAt ??= now;
      if (sameLabel(this.misplaced.refuseAt, now)) return true;
      this.misplaced = null;
    }
    const last = this.last;
    if (!last) return false;
    return now.historyLength - last.historyLength < TASK_BOUNDARY_EVENTS || now.timeMs === last.timeMs;
  }

  private see(): TaskLabel {
    this.seen = this.label();
    return this.seen;
  }
}

const sameLabel = (a: TaskLabel, b: TaskLabel) => a.historyLength === b.historyLength && a.timeMs === b.timeMs;
