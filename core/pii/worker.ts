/**
 * The worker-thread side of the detection pool: each task is one text. Detection stays here, off the
 * gateway's event loop, so one customer's 100 KB paste never stalls another's request.
 */
import { intake } from '../intake';
import { scrub, type Strategy } from './strategies';

export type PoolTask =
  { op: 'intake'; text: string } | { op: 'scrub'; text: string; strategy: Exclude<Strategy, 'block'> };

export default function run(task: PoolTask) {
  return task.op === 'intake' ? intake(task.text) : scrub(task.text, task.strategy);
}
