/**
 * What a person does when a ticket waits for one: release a security hold, confirm or decline a proposed
 * side effect, approve, edit or (once) reject a draft, write the reply when only an edit is possible, provide a missing SOP, give feedback. The choice is
 * fixed by the ticket's number so runs are comparable; each decision is made once per wait and retried only
 * when no decision came back (no answer or 5xx), never after a 2xx or a 409.
 */
import type { Answer, TicketApi } from './api';

interface PendingReview {
  draftVersion: number;
  actions: string[];
  releasable: boolean;
  since: string;
}

export interface AgentState {
  status?: string;
  awaiting?: string | null;
  pendingReview?: PendingReview | null;
  sopNeededFor?: string | null;
  redrafts?: number;
  /** Proposed side effects; a pending one must be confirmed or declined before a reply can go out. */
  proposals?: { id: string; status: string }[];
}

export interface ActionCounts {
  [action: string]: { [status: string]: number };
}

export class Actor {
  private readonly decided = new Set<string>();
  readonly counts: ActionCounts = {};

  constructor(
    private readonly api: TicketApi,
    private readonly ticketId: string,
    private readonly n: number,
    private readonly customerToken: string,
  ) {}

  /** Acts on the wait `s` shows, if any; returns whether it sent something. */
  async act(s: AgentState): Promise<boolean> {
    const pr = s.pendingReview;
    const proposal = s.proposals?.find((p) => p.status === 'pending');
    // Every other ticket's proposals are confirmed, the rest declined: both paths run under faults.
    if (pr && proposal) {
      const decision = this.n % 2 === 0 ? 'confirm' : 'decline';
      return this.once(`proposal:${proposal.id}`, `proposal_${decision}`, () =>
        this.api.agent(this.ticketId, 'proposals', { proposalId: proposal.id, decision }),
      );
    }
    if (pr) {
      const key = `review:${pr.draftVersion}:${pr.since}`;
      if (pr.releasable && this.n % 3 !== 0)
        return this.once(key, 'release', () =>
          this.api.agent(this.ticketId, 'release', { note: 'checked by the driver' }),
        );
      if (pr.actions.includes('approve')) {
        if (this.n % 7 === 3 && (s.redrafts ?? 0) === 0) {
          return this.once(key, 'reject', () =>
            this.api.agent(this.ticketId, 'review', {
              action: 'reject',
              draftVersion: pr.draftVersion,
              reason: 'please mention the next steps',
            }),
          );
        }
        if (this.n % 4 === 1) return this.once(key, 'edit', () => this.edit(pr.draftVersion));
        return this.once(key, 'approve', () =>
          this.api.agent(this.ticketId, 'review', { action: 'approve', draftVersion: pr.draftVersion }),
        );
      }
      if (pr.actions.includes('edit')) return this.once(key, 'edit', () => this.edit(pr.draftVersion));
    }
    if (s.awaiting === 'sop') {
      return this.once(`sop:${s.sopNeededFor}`, 'sop', () =>
        this.api.agent(this.ticketId, 'sop', {
          title: `Driver SOP for ${s.sopNeededFor}`,
          body: 'Check the account, explain the next step, offer a follow-up.',
        }),
      );
    }
    if (s.awaiting === 'feedback' && this.n % 5 !== 4) {
      return this.once('feedback', 'feedback', () =>
        this.api.feedback(this.ticketId, this.customerToken, {
          resolved: this.n % 6 !== 5,
          rating: 4 + (this.n % 2),
          comment: 'thanks',
        }),
      );
    }
    return false;
  }

  /**
   * The reply a person writes: it claims no action (the reply check refuses claims no tool run made). Should
   * the check still refuse it, the person sends it again with a stated reason, as the console allows.
   */
  private async edit(draftVersion: number): Promise<Answer> {
    const text = `Hello, thank you for the details (ticket ${this.n}). A member of our team has read your message and will reply here with the next steps.`;
    const first = await this.api.agent(this.ticketId, 'review', { action: 'edit', draftVersion, text });
    if (first.status < 400 || first.status === 409 || first.status >= 500) return first;
    return this.api.agent(this.ticketId, 'review', {
      action: 'edit',
      draftVersion,
      text,
      overrideReason: 'reviewed by the driver',
    });
  }

  private async once(key: string, action: string, send: () => Promise<Answer>): Promise<boolean> {
    if (this.decided.has(key)) return false;
    const a = await send();
    const byStatus = (this.counts[action] ??= {});
    byStatus[String(a.status)] = (byStatus[String(a.status)] ?? 0) + 1;
    if (a.status !== 0 && a.status < 500) this.decided.add(key);
    return true;
  }
}
