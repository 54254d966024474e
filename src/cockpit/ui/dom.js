// DOM helpers: every value goes in as text, never as HTML (card text, object keys and logs are user data).

/** h('tag.class', { attr: value, onclick }, ...children) */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length > 0) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function json(value) {
  return h('pre', {}, value === undefined ? '—' : JSON.stringify(value, null, 2));
}

export function badge(text, kind = text) {
  return h(`span.badge.${kind}`, {}, text);
}

export function ms(value) {
  return value === undefined || value === null ? '—' : `${Math.round(value)} ms`;
}

export function time(epoch) {
  return new Date(epoch).toLocaleTimeString(undefined, { hour12: false });
}

/** A table row that opens on click and on Enter/Space. */
export function row(cells, open, selected = false) {
  const tr = h(
    'tr.row',
    { tabindex: 0, 'aria-selected': selected ? 'true' : 'false' },
    ...cells.map((c) => h('td', {}, c)),
  );
  tr.addEventListener('click', open);
  tr.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  });
  return tr;
}

export function toast(text) {
  const el = h('div.toast', { role: 'status' }, text);
  document.body.append(el);
  setTimeout(() => el.remove(), 3500);
}

/** A base64 stream or Firehose payload as JSON when it is JSON, else as text. */
export function decodePayload(base64) {
  try {
    const text = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  } catch {
    return base64;
  }
}
