// DOM helpers shared by the ops page's parts.

type Attributes = Record<string, string | number>;

function required<T extends Element = HTMLElement>(selector: string): T {
  const node = document.querySelector<T>(selector);
  if (!node) throw new Error(`the ops page has no ${selector}`);
  return node;
}

function el(tag: string, attrs: Attributes = {}, text?: string | number): HTMLElement {
  const node = document.createElement(tag);
  for (const key in attrs) node.setAttribute(key, String(attrs[key]));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function svg(tag: string, attrs: Attributes, text?: string): SVGElement {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const key in attrs) node.setAttribute(key, String(attrs[key]));
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const node = el('button', { type: 'button', class: className }, label) as HTMLButtonElement;
  node.addEventListener('click', onClick);
  return node;
}

const fmt = (n: number | string): string => Number(n).toLocaleString('en-US');

const messageOf = (e: unknown): string => String((e instanceof Error && e.message) || e);

function showError(text: string): void {
  required('#error').textContent = text;
}

function showNotice(text: string): void {
  required('#notice').textContent = text;
}
