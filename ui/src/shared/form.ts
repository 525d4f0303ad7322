/**
 * The forms that send something to the API: one send at a time (the submit button is off while it runs), and
 * how it went said in a note next to the button, read out at once.
 */
import { ApiFailure } from './api';
import { fill, h, type Child } from './dom';

export function formNote(): HTMLElement {
  return h('div', { class: 'action-feedback', 'aria-live': 'assertive' });
}

/** `text` in the note, shown as an error, a success or plain. */
export function say(note: HTMLElement, text: string, kind?: 'error' | 'ok'): void {
  note.className = kind ? `action-feedback ${kind}` : 'action-feedback';
  fill(note, text);
}

/**
 * A form whose submit runs `send` with the submit button off; a failure is said in the note (the API's own
 * message where it gave one). novalidate: `send` checks the fields itself and says what is missing.
 */
export function sendingForm(
  cls: string | undefined,
  parts: { submit: HTMLButtonElement; note: HTMLElement; send: () => Promise<void> },
  ...children: Child[]
): HTMLFormElement {
  const { submit, note, send } = parts;
  const onSubmit = async () => {
    submit.disabled = true;
    try {
      await send();
    } catch (err) {
      say(note, err instanceof ApiFailure ? err.message : String(err), 'error');
    } finally {
      submit.disabled = false;
    }
  };
  return h(
    'form',
    {
      ...(cls ? { class: cls } : {}),
      novalidate: true,
      on: {
        submit: (ev: Event) => {
          ev.preventDefault();
          void onSubmit();
        },
      },
    },
    ...children,
  );
}
