/**
 * Side effects waiting for a person (a refund over the cap, a charge that is not a verified duplicate...):
 * each with its amount, target and the policy's reason, and Confirm / Decline while it is pending. A
 * confirmed one runs when the reply is approved, before it is sent; a declined one never runs. The
 * workflow refuses an approval while any is pending, so this panel sits above the draft.
 */
import type { ProposalRecord } from '../../../core/domain';
import { ApiFailure, type ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import { formatMoney } from '../../../core/money';

/** A ticket's proposal as the state carries it. */
export type ProposalView = ProposalRecord;

const STATUS_TEXT: Record<ProposalView['status'], string> = {
  pending: 'waiting for your decision',
  confirmed: 'confirmed: runs when the reply is approved',
  declined: 'declined: will not run',
  executed: 'done',
  failed: 'failed',
};

export class ProposalsPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly feedback: HTMLElement;
  private drawn = '';
  private busy = false;

  constructor(
    private readonly api: ApiClient,
    private readonly ticketId: string,
    private readonly onDone: () => void,
  ) {
    this.list = h('ul', { class: 'proposals' });
    this.feedback = h('div', { class: 'action-feedback', 'aria-live': 'assertive' });
    this.element = h(
      'section',
      { class: 'panel proposals-panel', 'aria-labelledby': 'sec-proposals', hidden: true },
      h('h3', { id: 'sec-proposals' }, 'Proposed actions'),
      this.list,
      this.feedback,
    );
  }

  update(proposals: readonly ProposalView[] | undefined): void {
    const items = proposals ?? [];
    this.element.hidden = items.length === 0;
    const key = JSON.stringify(items);
    if (key === this.drawn) return; // unchanged: keep focus where it is
    this.drawn = key;
    fill(
      this.list,
      items.map((p) => this.item(p)),
    );
  }

  private item(p: ProposalView): HTMLElement {
    const amount = p.amountCents === undefined ? null : formatMoney(p.amountCents, p.currency);
    const label = `${p.kind.replace(/_/g, ' ')} ${amount ? `of ${amount} ` : ''}on ${p.target}`;
    return h(
      'li',
      { class: `proposal proposal-${p.status}`, 'data-proposal-id': p.id },
      h(
        'p',
        { class: 'proposal-what' },
        h('strong', {}, label),
        ' ',
        h('span', { class: 'badge' }, STATUS_TEXT[p.status]),
      ),
      h('p', { class: 'proposal-why' }, `Why it waits: ${p.reason}`),
      p.decidedBy
        ? h(
            'p',
            { class: 'hint' },
            `${p.decidedBy === 'policy' ? 'Allowed by the policy' : `Decided by ${p.decidedBy}`}${p.decidedAt ? `, ${formatDateTime(p.decidedAt)}` : ''}${p.note ? `: ${p.note}` : ''}`,
          )
        : null,
      p.outcome ? h('p', { class: 'hint' }, `Outcome: ${p.outcome}`) : null,
      p.status === 'pending'
        ? h(
            'div',
            { class: 'actions' },
            h(
              'button',
              { type: 'button', class: 'btn primary', on: { click: () => void this.decide(p, 'confirm') } },
              `Confirm ${p.kind.replace(/_/g, ' ')}`,
            ),
            h(
              'button',
              { type: 'button', class: 'btn danger', on: { click: () => void this.decide(p, 'decline') } },
              'Decline',
            ),
          )
        : null,
    );
  }

  private async decide(p: ProposalView, decision: 'confirm' | 'decline'): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.api.post(
        `/v1/tickets/${encodeURIComponent(this.ticketId)}/proposals`,
        { proposalId: p.id, decision },
        { idempotent: true },
      );
      this.feedback.className = 'action-feedback ok';
      fill(
        this.feedback,
        decision === 'confirm'
          ? `Confirmed: it runs when you approve the reply.`
          : 'Declined: it will not run. Edit the reply if it promised it.',
      );
      this.onDone();
    } catch (err) {
      this.feedback.className = 'action-feedback error';
      fill(this.feedback, err instanceof ApiFailure ? `Refused: ${err.message}` : String(err));
    } finally {
      this.busy = false;
    }
  }
}
