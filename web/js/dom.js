/**
 * Building the DOM without innerHTML: every string becomes a text node, so nothing the server
 * sends (a market question, an error message) can turn into markup.
 */

/** @typedef {Node | string | number | boolean | null | undefined} Child */
/** @typedef {Child | Children[]} Children */
/** @typedef {Record<string, unknown>} Attrs */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * An HTML element. Attributes: `on<event>` functions become listeners, `dataset` an object of data-*
 * values; false, null and undefined leave an attribute out, true sets it empty.
 * @param {string} tag
 * @param {Attrs | null} [attrs]
 * @param {...Children} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * An SVG element, same conventions as `h`.
 * @param {string} tag
 * @param {Attrs | null} [attrs]
 * @param {...Children} children
 * @returns {SVGElement}
 */
export function svg(tag, attrs, ...children) {
  const el = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {Attrs | null | undefined} attrs
 */
function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    } else if (name === 'dataset' && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined && v !== null) /** @type {HTMLElement} */ (el).dataset[k] = String(v);
      }
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

/**
 * @param {Element} el
 * @param {Children[]} children
 */
export function append(el, children) {
  for (const child of children.flat(2)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/**
 * Replaces an element's content.
 * @param {Element} el
 * @param {...Children} children
 */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}
