/**
 * The customer page: /ticket to submit, /ticket/<id> to watch. The ticket-scoped token returned on submit
 * is kept in sessionStorage, so reloading /ticket/<id> resumes where the page was.
 */
import { createApi } from '../shared/api';
import { byId, fill, h } from '../shared/dom';
import { formNote, say, sendingForm } from '../shared/form';
import { limits } from '../shared/limits';
import { getToken, setToken, takeTokenFromHash } from '../shared/token';
import { keepTokenFresh } from '../shared/token-refresh';
import type { SessionInfo } from '../shared/types';
import { TicketWatch } from './watch';

const SLOT = 'customer';

function ticketIdFromPath(): string | null {
  const m = /^\/ticket\/([^/]+)\/?$/.exec(location.pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

function tokenFor(ticketId: string | null): string | null {
  return (ticketId ? getToken(`ticket.${ticketId}`) : null) ?? getToken(SLOT);
}

/** Marks the page when it runs under the development identity, so nobody mistakes it for production. */
async function showIdentity(ticketId: string | null): Promise<void> {
  if (!tokenFor(ticketId)) return;
  try {
    const session = await createApi(() => tokenFor(ticketId)).get<SessionInfo>('/v1/session');
    fill(
      byId('who'),
      session.dev ? h('span', { class: 'badge dev', title: 'Development identity: not for production' }, 'DEV') : null,
      ` ${session.sub}`,
    );
  } catch {
    // the page itself reports token problems where they matter
  }
}

function main(): void {
  takeTokenFromHash(SLOT);
  void showIdentity(ticketIdFromPath());
  const root = byId('app');
  let stopRefresh: (() => void) | undefined;
  const route = () => {
    const id = ticketIdFromPath();
    if (id) watch(id);
    else submitForm();
  };

  function watch(ticketId: string): void {
    const api = createApi(() => tokenFor(ticketId));
    if (!tokenFor(ticketId)) {
      fill(
        root,
        h(
          'div',
          { class: 'panel', role: 'alert' },
          h('h2', {}, 'Sign in required'),
          h('p', {}, 'Open this ticket from the browser tab you used to submit it, or from the link you were sent.'),
        ),
      );
      return;
    }
    stopRefresh?.();
    stopRefresh = keepTokenFresh(getToken(`ticket.${ticketId}`) ? `ticket.${ticketId}` : SLOT, api);
    const view = new TicketWatch(api, ticketId);
    fill(root, view.element);
    void view.open();
  }

  function submitForm(): void {
    const api = createApi(() => getToken(SLOT));
    if (!getToken(SLOT)) {
      fill(
        root,
        h(
          'div',
          { class: 'panel', role: 'alert' },
          h('h2', {}, 'Sign in required'),
          h('p', {}, 'Open the support page from your account (in development, `npm run up` prints a customer link).'),
        ),
      );
      return;
    }
    const text = h('textarea', {
      id: 'ticket-text',
      rows: 8,
      required: true,
      maxlength: limits.ticketText,
      'aria-describedby': 'ticket-hint',
    });
    const submit = h('button', { type: 'submit', class: 'btn primary' }, 'Submit request');
    const note = formNote();
    const form = sendingForm(
      'panel new-ticket',
      {
        submit,
        note,
        send: async () => {
          if (!text.value.trim()) {
            say(note, 'Describe your problem first.', 'error');
            text.focus();
            return;
          }
          say(note, 'Sending…');
          const created = await api.post<{ ticketId: string; ticketToken: string | null }>(
            '/v1/tickets',
            { text: text.value },
            { idempotent: true },
          );
          if (created.ticketToken) setToken(`ticket.${created.ticketId}`, created.ticketToken);
          history.pushState({}, '', `/ticket/${encodeURIComponent(created.ticketId)}`);
          route();
        },
      },
      h('h2', {}, 'How can we help?'),
      h('label', { for: 'ticket-text', class: 'label' }, 'Describe your problem'),
      h(
        'p',
        { id: 'ticket-hint', class: 'hint' },
        'Never include passwords or tokens. If you do by mistake, we hide them and revoke exposed tokens.',
      ),
      text,
      h('div', { class: 'actions' }, submit),
      note,
    );
    fill(root, form);
    text.focus();
  }

  window.addEventListener('popstate', route);
  route();
}

main();
