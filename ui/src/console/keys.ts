/**
 * The console from the keyboard: j/k move through the found tickets, a approves, e edits, r starts a
 * rejection, / searches, ? shows the list. Letters act only when no field has the focus, so typing a reply
 * or a reason never triggers one; Escape leaves a field (and closes the help).
 */
import { h } from '../shared/dom';

export interface KeyTargets {
  /** The tickets in the order shown, and the one open. */
  ids(): string[];
  current(): string | null;
  open(ticketId: string): void;
  search: HTMLInputElement;
}

export const SHORTCUTS: [string, string][] = [
  ['j', 'Next ticket'],
  ['k', 'Previous ticket'],
  ['a', 'Approve the draft'],
  ['e', 'Edit the reply'],
  ['r', 'Reject: write the reason'],
  ['/', 'Search tickets'],
  ['?', 'Show or hide these shortcuts'],
  ['Esc', 'Leave a field, close this list'],
];

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function installShortcuts(t: KeyTargets): HTMLElement {
  const close = h('button', { type: 'button', class: 'btn', on: { click: () => toggle(false) } }, 'Close');
  const help = h(
    'div',
    { class: 'shortcut-help', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'shortcut-title', hidden: true },
    h('h2', { id: 'shortcut-title' }, 'Keyboard shortcuts'),
    h(
      'dl',
      {},
      SHORTCUTS.map(([key, what]) => [h('dt', {}, h('kbd', {}, key)), h('dd', {}, what)]),
    ),
    close,
  );
  let returnFocus: HTMLElement | null = null;

  function toggle(show = help.hidden): void {
    help.hidden = !show;
    if (show) {
      returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      close.focus();
    } else {
      returnFocus?.focus();
    }
  }

  function move(step: 1 | -1): void {
    const ids = t.ids();
    if (ids.length === 0) return;
    const at = ids.indexOf(t.current() ?? '');
    const next = at < 0 ? (step === 1 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + step));
    if (ids[next] && ids[next] !== t.current()) t.open(ids[next]);
  }

  const actions: Record<string, () => void> = {
    j: () => move(1),
    k: () => move(-1),
    a: () => document.querySelector<HTMLButtonElement>('[data-shortcut="approve"]:not(:disabled)')?.click(),
    e: () => document.getElementById('draft-editor')?.focus(),
    r: () => document.getElementById('reject-reason')?.focus(),
    '/': () => t.search.focus(),
    '?': () => toggle(),
  };

  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === 'Escape') {
      if (!help.hidden) toggle(false);
      else if (typing(ev.target)) (ev.target as HTMLElement).blur();
      return;
    }
    if (typing(ev.target) || (!help.hidden && ev.key !== '?')) return;
    const action = actions[ev.key];
    if (!action) return;
    ev.preventDefault();
    action();
  });
  return help;
}
