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
 */
import { workflowInfo } from '@temporalio/workflow';
import { nowMs } from './util';

export class TaskGuard {
  private lastLength = -1;
  private lastTime = -1;

  /**
   * Notes when `p` settles (an activity or timer the workflow awaits). The note is a side branch, so the
   * code awaiting `p` resumes exactly when it would without it (old histories keep their command order).
   */
  watch<T>(p: Promise<T>): Promise<T> {
    const note = () => {
      this.lastLength = workflowInfo().historyLength;
      this.lastTime = nowMs();
    };
    p.then(note, note);
    return p;
  }

  /**
   * True when something resolved earlier in this workflow task. A task is known by its history length and
   * its start time (either one is enough: a false "busy" only costs the caller a retry).
   */
  resolvedInThisTask(): boolean {
    return this.lastLength === workflowInfo().historyLength || this.lastTime === nowMs();
  }
}
