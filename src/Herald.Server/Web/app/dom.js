// Small DOM helpers. Every piece of data reaches the page through textContent or attributes, never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * h('p', { class: 'x', dataset: { testid: 'y' } }, 'text', child, [more children])
 * Attribute values null/undefined/false are skipped; true sets an empty attribute. Children may be strings,
 * numbers, nodes, arrays or null.
 */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) {
          if (v !== null && v !== undefined) el.dataset[k] = String(v);
        }
      } else if (key === 'testid') {
        el.setAttribute('data-testid', String(value));
      } else if (key === 'on') {
        for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
      } else if (key === 'text') {
        el.textContent = String(value);
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A word for a kebab-case value: 'partial-response' -> 'partial response'. */
export function words(value) {
  return String(value ?? '').replace(/-/g, ' ');
}

/** 'Partial response' from 'partial-response'. */
export function sentence(value) {
  const w = words(value);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : (many ?? one + 's')}`;
}

/** A short id usable in an HTML id attribute, from a JSON path: 'metastaticRegimens[0].stop' -> 'metastaticRegimens-0-stop'. */
export function idFromPath(path) {
  return String(path).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * A box that scrolls sideways when its content is wider than the screen (a chart, a wide table). Only while it does
 * scroll is it a named region in the tab order, so that a keyboard can scroll it; otherwise it is a plain box.
 */
export function scrollBox(className, label, ...children) {
  const box = h('div', { class: className }, ...children);
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', `${label} (scrolls sideways)`);
        box.tabIndex = 0;
      } else {
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
        box.removeAttribute('tabindex');
      }
    }).observe(box);
  }
  return box;
}
