/**
 * A tiny element builder. Text always goes in as text nodes, never as HTML, so nothing a customer or a
 * model wrote can inject markup into the console.
 */
export type Child = Node | string | number | null | undefined | false | Child[];
/** Attribute values: strings and numbers are written, true sets an empty attribute, false and null omit it. */
type AttrValue = string | number | boolean | null | undefined;
type Handlers = Partial<Record<keyof HTMLElementEventMap, (ev: Event) => void>>;
type Props = Record<string, AttrValue | Handlers> & {
  class?: string;
  on?: Handlers;
};

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value as Record<string, (ev: Event) => void>))
        el.addEventListener(event, handler);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else if (typeof value === 'string' || typeof value === 'number') {
      if (key === 'class') el.className = String(value);
      else el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from the page`);
  return el as T;
}
