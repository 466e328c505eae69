import { escapeHtml } from '../core/escape-html';
import type { Badge } from '../core/health';

/** A status badge: colour class, shape and word (readable without colour). */
export function badgeHtml(b: Badge, extra = ''): string {
  return `<span class="badge ${b.level}" data-level="${b.level}" ${extra}><span class="shape" aria-hidden="true">${b.shape}</span> ${escapeHtml(b.text)}</span>`;
}

export function section(title: string, id: string): HTMLElement {
  const el = document.createElement('section');
  el.className = 'card';
  el.dataset.section = id;
  el.innerHTML = `<h2>${escapeHtml(title)}</h2><p class="load-error" hidden></p><div class="body"></div>`;
  return el;
}

export const bodyOf = (el: HTMLElement) => el.querySelector<HTMLElement>('.body')!;
export const errorOf = (el: HTMLElement) => el.querySelector<HTMLElement>('.load-error')!;
