/**
 * The SOP library page (/console/sops): every SOP the desk knows, the shipped files and those people
 * provided, each provided one with all its versions (author, the ticket it was written for, who approved
 * it). A proposal waits for a second agent: anyone but its author approves it here, and from then on it
 * serves every matching ticket.
 */
import type { SopLibraryEntry } from '../../../activities/knowledge/library';
import { ApiFailure, type ApiClient } from '../shared/api';
import { fill, h } from '../shared/dom';
import { formatDateTime } from '../shared/format';

export class SopLibraryPage {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;

  constructor(
    private readonly api: ApiClient,
    private readonly me: string,
  ) {
    this.status = h('p', { class: 'library-status', role: 'status', 'aria-live': 'polite' }, 'Loading the library…');
    this.list = h('div', { class: 'sop-library' });
    this.element = h(
      'section',
      { class: 'panel', 'aria-labelledby': 'library-heading' },
      h('h2', { id: 'library-heading' }, 'SOP library'),
      this.status,
      this.list,
    );
  }

  async load(): Promise<void> {
    try {
      const { sops } = await this.api.get<{ sops: SopLibraryEntry[] }>('/v1/sops');
      const pending = sops.filter((s) => s.pending).length;
      fill(this.status, `${sops.length} SOPs · ${pending} waiting for approval`);
      fill(
        this.list,
        sops.map((s) => this.entry(s)),
      );
    } catch (err) {
      fill(this.status, `Could not load the library: ${(err as Error).message}`);
    }
  }

  private entry(sop: SopLibraryEntry): HTMLElement {
    const latest = sop.versions.at(-1);
    const headingId = `sop-${sop.id}`;
    const feedback = h('div', { class: 'action-feedback', 'aria-live': 'assertive' });
    const approve = async () => {
      try {
        await this.api.post(`/v1/sops/${encodeURIComponent(sop.id)}/approve`, {});
        await this.load();
      } catch (err) {
        feedback.className = 'action-feedback error';
        fill(feedback, err instanceof ApiFailure ? err.message : String(err));
      }
    };
    return h(
      'article',
      { class: 'sop-entry', 'aria-labelledby': headingId, 'data-sop-id': sop.id },
      h(
        'h3',
        { id: headingId },
        sop.title,
        ' ',
        h('span', { class: 'badge topic' }, sop.topic),
        ' ',
        sop.pending
          ? h('span', { class: 'badge awaiting' }, 'waiting for approval')
          : h('span', { class: 'badge ok' }, sop.source === 'library' ? 'shipped' : 'approved'),
      ),
      sop.pending && latest
        ? latest.author === this.me
          ? h('p', { class: 'hint' }, `Version ${latest.version} is yours: another agent approves it.`)
          : h(
              'p',
              {},
              h(
                'button',
                { type: 'button', class: 'btn small primary', on: { click: () => void approve() } },
                `Approve version ${latest.version}`,
              ),
              h('span', { class: 'hint' }, ` proposed by ${latest.author}`),
            )
        : null,
      feedback,
      h('details', {}, h('summary', {}, 'Procedure'), h('pre', { class: 'sop-body' }, sop.body)),
      sop.usedBy ? h('p', { class: 'sop-used' }, usedBy(sop.usedBy)) : null,
      sop.versions.length > 0
        ? h(
            'table',
            { class: 'sop-versions' },
            h('caption', {}, `Versions of ${sop.title}`),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Version', 'Author', 'Written', 'For ticket', 'Approved by', 'Used by'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              sop.versions.map((v) =>
                h(
                  'tr',
                  {},
                  h('td', {}, `v${v.version}`),
                  h('td', {}, v.author),
                  h('td', {}, formatDateTime(v.createdAt)),
                  h('td', {}, v.ticketId ?? '—'),
                  h('td', {}, v.approvedBy ? `${v.approvedBy}, ${formatDateTime(v.approvedAt)}` : 'not yet'),
                  h('td', {}, v.usedBy?.length ? v.usedBy.join(', ') : '—'),
                ),
              ),
            ),
          )
        : null,
    );
  }
}

/** The newest finished tickets that used the SOP (at most 20, the memory database keeps which). */
const usedBy = (tickets: string[]) =>
  tickets.length ? `Used by finished tickets: ${tickets.join(', ')}` : 'Used by no finished ticket yet';
