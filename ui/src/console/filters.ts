/**
 * The filter forms of the console's pages (the finder, the analytics page): one labelled select per filter,
 * and the form read back as query parameters, so every page asks the API the same way.
 */
import { h } from '../shared/dom';

// The API's own list (core/domain.ts); written out here so the bundle stays free of zod.
export const TOPICS = ['A&S', 'Billing', 'Enterprise', 'DevSupport', 'Workers', 'ShotGun', 'Discourse', 'unknown'];

/** A labelled select named `name`; options are [value, text], the first chosen at start. */
export function filterSelect(label: string, name: string, options: [string, string][]): HTMLLabelElement {
  return h(
    'label',
    { class: 'filter' },
    label,
    h(
      'select',
      { name },
      options.map(([value, text]) => h('option', { value }, text)),
    ),
  );
}

/** "Any" first, then each value as its own text (or as `text` names it). */
export function anyOf(
  any: string,
  values: readonly string[],
  text: (v: string) => string = (v) => v,
): [string, string][] {
  return [['', any], ...values.map((v): [string, string] => [v, text(v)])];
}

/** The form's filled fields (inputs and selects) set on `params`; an empty field is no filter. */
export function setFilters(form: HTMLFormElement, params: URLSearchParams): URLSearchParams {
  for (const field of Array.from(form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select'))) {
    const v = field.value.trim();
    if (v) params.set(field.name, v);
  }
  return params;
}
