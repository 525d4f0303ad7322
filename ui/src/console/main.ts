/**
 * The agents' console: the queue board on top, the selected ticket below. The URL names the ticket
 * (/console/tickets/<id>) so a reload or a shared link opens it again.
 */
import { ApiFailure, createApi } from '../shared/api';
import { byId, fill, h } from '../shared/dom';
import type { SessionInfo } from '../shared/types';
import { takeTokenFromHash } from '../shared/token';
import { keepTokenFresh } from '../shared/token-refresh';
import { QueueBoard } from './board';
import { TicketFinder } from './finder';
import { AnalyticsPage } from './analytics';
import { installShortcuts } from './keys';
import { MyTickets } from './my-tickets';
import { QueueLive } from './queue-live';
import { SopLibraryPage } from './sop-library';
import { TicketView } from './ticket-view';

const SLOT = 'agent';

function ticketIdFromPath(): string | null {
  const m = /^\/console\/tickets\/([^/]+)\/?$/.exec(location.pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

async function main(): Promise<void> {
  const token = takeTokenFromHash(SLOT);
  const root = byId('app');
  const who = byId('who');
  if (!token) {
    fill(
      root,
      h(
        'div',
        { class: 'panel signin' },
        h('h2', {}, 'Sign in required'),
        h(
          'p',
          {},
          'Open the console with an agent link (it carries a token after #token=). In development, `npm run up` prints one.',
        ),
      ),
    );
    return;
  }
  const api = createApi(() => takeTokenFromHash(SLOT));
  let session: SessionInfo;
  try {
    session = await api.get<SessionInfo>('/v1/session');
  } catch (err) {
    const msg =
      err instanceof ApiFailure && err.status === 401
        ? 'Your token is invalid or expired. Open a fresh console link.'
        : (err as Error).message;
    fill(
      root,
      h('div', { class: 'panel signin', role: 'alert' }, h('h2', {}, 'Cannot open the console'), h('p', {}, msg)),
    );
    return;
  }
  if (session.role !== 'agent') {
    fill(
      root,
      h(
        'div',
        { class: 'panel signin', role: 'alert' },
        h('h2', {}, 'Agents only'),
        h('p', {}, 'This token belongs to a customer. The console needs an agent token.'),
      ),
    );
    return;
  }
  keepTokenFresh(SLOT, api);
  fill(
    who,
    session.dev ? h('span', { class: 'badge dev', title: 'Development identity: not for production' }, 'DEV') : null,
    ` ${session.sub}`,
  );

  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('.desk-nav a'))) {
    if (link.pathname === location.pathname) link.setAttribute('aria-current', 'page');
  }
  if (location.pathname.startsWith('/console/analytics')) {
    const analytics = new AnalyticsPage(api);
    fill(root, analytics.element);
    await analytics.load();
    return;
  }
  if (location.pathname.startsWith('/console/sops')) {
    const library = new SopLibraryPage(api, session.sub);
    fill(root, library.element);
    await library.load();
    return;
  }

  const detail = h('div', { class: 'detail' });
  let view: TicketView | undefined;
  const finder = new TicketFinder(api, (id) => openTicket(id, true));
  const board = new QueueBoard(
    api,
    (id) => openTicket(id, true),
    (queue) => finder.showQueue(queue),
  );
  const mine = new MyTickets(api, (id) => openTicket(id, true));

  function openTicket(id: string | null, push: boolean): void {
    view?.close();
    view = undefined;
    currentId = id;
    board.select(id);
    finder.select(id);
    if (push) history.pushState({ id }, '', id ? `/console/tickets/${encodeURIComponent(id)}` : '/console');
    if (!id) {
      fill(detail, h('p', { class: 'placeholder' }, 'Select a ticket from a queue to review it.'));
      return;
    }
    view = new TicketView(api, session, id, () => {
      void board.refresh();
      void mine.refresh();
    });
    fill(detail, view.element);
    void view.open().then(() => view?.focusTitle());
  }

  const help = installShortcuts({
    ids: () => finder.visibleIds,
    current: () => currentId,
    open: (id) => openTicket(id, true),
    search: finder.searchInput,
  });
  let currentId: string | null = null;

  fill(root, board.element, mine.element, finder.element, detail, help);
  board.start();
  finder.reload();
  finder.watchDesk();
  mine.start();
  // Live without polling: the views reload once per (re)connect, then follow the frames.
  const setLive = (live: boolean) => {
    board.setLive(live);
    finder.setLive(live);
    mine.setLive(live);
  };
  new QueueLive(() => takeTokenFromHash(SLOT), {
    onFrame: (frame) => {
      board.applyFrame(frame);
      finder.applyFrame(frame);
      mine.applyFrame(frame);
      if (frame.kind === 'desk' && frame.ticketId === currentId) view?.deskChanged();
    },
    onLive: () => setLive(true),
    onDown: () => setLive(false),
  }).start();
  openTicket(ticketIdFromPath(), false);
  window.addEventListener('popstate', () => openTicket(ticketIdFromPath(), false));
}

void main();
