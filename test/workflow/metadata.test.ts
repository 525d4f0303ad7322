/**
 * What the Temporal Web UI shows for a ticket, read back from the real dev server: the start's one-line summary
 * (describe) and the run's current details (the SDK's `__temporal_workflow_metadata` query). Neither may hold
 * the ticket's text: the create below carries an address and a sentence the summary must not repeat. The
 * "Stack Trace" tab (`__stack_trace`) must still show where a ticket waits with the sandbox's shortened stacks
 * (workflows/stack-depth.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { workflowIdFor } from '../../workflows/state';
import { ticketWorkflowSuite } from './helpers/ticket-suite';

const wf = ticketWorkflowSuite();

interface EnhancedStackTrace {
  stacks: { locations: { function_name?: string; file_path?: string }[] }[];
}

interface WorkflowMetadata {
  definition?: { type?: string };
  currentDetails?: string;
}

describe('ticket metadata in the Web UI (dev server)', () => {
  test('the summary names the ticket and its channel; the details follow its step and classification', async () => {
    await wf.withWorker(async () => {
      const id = await wf.create({});
      await wf.awaitingReview(id);
      const handle = wf.client.workflow.getHandle(workflowIdFor(id));
      const summary = await (await handle.describe()).staticSummary();
      assert.equal(summary, `Ticket ${id} via web`);

      const meta = await handle.query<WorkflowMetadata>('__temporal_workflow_metadata');
      assert.equal(meta.definition?.type, 'ticketWorkflow');
      const details = meta.currentDetails ?? '';
      assert.match(details, /\*\*Step:\*\* (review|human)/);
      assert.match(details, /\*\*Status:\*\* awaiting_review/);
      assert.match(details, /\*\*Topic:\*\* Billing/);
      for (const text of [summary ?? '', details]) {
        assert.doesNotMatch(text, /example\.com|REDACTED|runners are down/, 'no text of the ticket');
      }
      assert.doesNotMatch(summary ?? '', /\n/, 'the summary is one line');

      await wf.tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'ana' });
      await wf.until(id, (s) => s.status === 'resolved', 'resolved');
      const later = await handle.query<WorkflowMetadata>('__temporal_workflow_metadata');
      assert.match(later.currentDetails ?? '', /\*\*Status:\*\* (sent|resolved)/);
    });
  });

  test('the stack trace of a ticket waiting for review shows the wait, its step and the phase loop', async () => {
    await wf.withWorker(async () => {
      const id = await wf.create({});
      await wf.awaitingReview(id);
      const handle = wf.client.workflow.getHandle(workflowIdFor(id));
      const trace = await handle.query<string>('__stack_trace');
      assert.match(trace, /at Waits\.until \(\S*workflows\/waits\.ts:\d+/, `the wait:\n${trace}`);
      assert.match(trace, /at person \(\S*workflows\/steps\/people\.ts:\d+/, `the step:\n${trace}`);
      assert.match(trace, /at TicketRun\.phases \(\S*workflows\/ticket-workflow\.ts:\d+/, `the loop:\n${trace}`);
      // Each promise's stack was captured with six frames (the CPU cut, issue 9), of which the hook's own one or
      // two (Node wraps several promise hooks in one) are dropped: at most five left; ten gave up to eight.
      const enhanced = await handle.query<EnhancedStackTrace>('__enhanced_stack_trace');
      const depths = enhanced.stacks.map((st) => st.locations.length);
      assert.ok(depths.length > 0 && Math.max(...depths) <= 5, `frames per stack: ${depths.join(', ')}`);
    });
  });
});
