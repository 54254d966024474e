import { get } from './api.js';
import { badge, h, json, ms, row, s } from './dom.js';

const STAGE_NAMES = {
  upload: 'upload (API)',
  start: 'START',
  ocr: 'OCR + fields',
  search: 'search index',
  graph: 'graph',
};
const FIELDS = ['name', 'job_title', 'company', 'email', 'phone_number', 'addr', 'url'];

function stages(journey) {
  return h(
    'div.stages',
    {},
    journey.stages.map((st) =>
      h(
        `span.stage${st.outcome === 'error' ? '.error' : ''}`,
        { title: st.error ?? st.function },
        `${STAGE_NAMES[st.stage] ?? st.stage} ${ms(st.durationMs)}`,
      ),
    ),
  );
}

/** Field values long enough to match an OCR line against, lower-cased. */
function fieldValues(fields) {
  return FIELDS.map((f) => fields?.[f])
    .filter((v) => typeof v === 'string' && v.length > 2)
    .map((v) => v.toLowerCase());
}

/** Lines that made it into a field are highlighted (again whenever the fields change). */
function markFieldLines(svg, fields) {
  const values = fieldValues(fields);
  for (const rect of svg.querySelectorAll('rect.LINE')) {
    const text = rect.dataset.text;
    rect.classList.toggle(
      'field',
      values.some((v) => v.includes(text) || text.includes(v)),
    );
  }
}

/** The OCR lines of the photo as boxes over it (Textract's relative BoundingBox, drawn on a 1000 × 1000 grid). */
async function ocrBoxes(imageId, fields) {
  const ocr = await get(`/cards/${encodeURIComponent(imageId)}/ocr`);
  const lines = ocr.blocks.filter((b) => b.type === 'LINE');
  const svg = s('svg', {
    viewBox: '0 0 1000 1000',
    preserveAspectRatio: 'none',
    'aria-label': `${lines.length} OCR lines`,
    role: 'img',
    class: 'ocr-boxes',
  });
  for (const block of lines) {
    const rect = s(
      'rect',
      {
        class: 'LINE',
        x: block.box.Left * 1000,
        y: block.box.Top * 1000,
        width: block.box.Width * 1000,
        height: block.box.Height * 1000,
      },
      s('title', {}, `${block.text} (${Math.round(block.confidence ?? 0)} %)`),
    );
    rect.dataset.text = (block.text ?? '').toLowerCase();
    svg.append(rect);
  }
  markFieldLines(svg, fields);
  return svg;
}

function fieldsPart(status, fields) {
  if (fields) {
    return h(
      'table.fields',
      {},
      FIELDS.map((f) => h('tr', {}, h('th', {}, f), h('td', { 'data-field': f }, fields[f] ?? '—'))),
    );
  }
  return h('p.muted', {}, status?.error ? `failed: ${status.error}` : 'not extracted yet');
}

/**
 * The open card: the photo with its boxes, the fields and the journey. Built once per card; live events patch its
 * parts (status, fields, stages, boxes still missing), never the photo, so nothing flickers and focus stays.
 */
class CardDetail {
  constructor(imageId) {
    this.imageId = imageId;
    this.seq = 0;
  }

  async build() {
    const data = await get(`/cards/${encodeURIComponent(this.imageId)}`);
    const fields = fieldsOf(data);
    this.badge = badge('?');
    this.photo = h('div.card-view', {});
    this.photo.append(
      h('img', { src: `/_octember/api/cards/${encodeURIComponent(this.imageId)}/image`, alt: `Card ${this.imageId}` }),
    );
    this.fields = h('div', {});
    this.journey = h('div', {});
    this.error = h('div', {});
    this.el = h(
      'div.panel',
      { id: 'card-detail' },
      h('h3', {}, this.imageId, ' ', this.badge),
      this.photo,
      h('h3', {}, 'Extracted fields'),
      this.fields,
      this.journey,
      this.error,
    );
    this.apply(data, await this.loadBoxes(fields));
    return this.el;
  }

  /** The boxes, or undefined when they cannot be read yet (a later event tries again). */
  async loadBoxes(fields) {
    if (this.boxes) return undefined;
    try {
      return await ocrBoxes(this.imageId, fields);
    } catch (error) {
      return h('p.err.ocr-missing', {}, `OCR boxes unavailable: ${error.message}`);
    }
  }

  /** Reads the card again and patches what changed; an older read finishing late is dropped. */
  async update() {
    const seq = ++this.seq;
    const data = await get(`/cards/${encodeURIComponent(this.imageId)}`);
    const boxes = await this.loadBoxes(fieldsOf(data));
    if (seq === this.seq && this.el.isConnected) this.apply(data, boxes);
  }

  apply({ journey, status }, boxes) {
    const fields = fieldsOf({ journey, status });
    if (boxes) {
      this.photo.querySelector('.ocr-missing')?.remove();
      if (boxes instanceof SVGElement) this.boxes = boxes;
      this.photo.append(boxes);
    }
    if (this.boxes) markFieldLines(this.boxes, fields);
    const key = JSON.stringify([status?.error ?? null, fields ?? null]);
    if (key !== this.fieldsKey) {
      this.fieldsKey = key;
      this.fields.replaceChildren(fieldsPart(status, fields));
    }
    this.journey.replaceChildren(...(journey ? [h('h3', {}, 'Journey'), stages(journey)] : []));
    this.error.replaceChildren(...(status?.error ? [json({ error: status.error })] : []));
    const state = status?.status ?? journey?.status ?? '?';
    this.badge.textContent = state;
    this.badge.className = `badge ${state}`;
  }
}

function fieldsOf({ journey, status }) {
  return status?.data ?? journey?.fields;
}

const HEADINGS = ['card', 'owner', 'status', 'stages', 'total'];

function rowCells(card) {
  return [card.imageId, card.owner, badge(card.status), stages(card), ms(card.lastAt - card.firstAt)];
}

/** The list and the open card on screen, kept for live patching. */
let shown;

export async function cardsView(ctx) {
  const { cards } = await get('/cards');
  const detail = h('div', { 'aria-live': 'polite' });
  const intro = h('p.muted', {});
  const table = h(
    'table',
    { 'aria-label': 'Cards' },
    h(
      'tr',
      {},
      HEADINGS.map((t) => h('th', {}, t)),
    ),
  );
  shown = { ctx, table, detail, intro, rows: new Map(), open: undefined, count: 0 };
  for (const card of cards) table.append(cardRow(card));
  describeList();
  if (ctx.state.card) openCard(ctx.state.card);
  return h('section', {}, h('h2', {}, 'Cards'), intro, h('div.cols', {}, h('div.panel', {}, table), detail));
}

function describeList() {
  shown.intro.textContent =
    shown.rows.size === 0
      ? 'No card yet: drop a photo anywhere on the page or use Upload card.'
      : 'Every card through the stages, live. Select one for its photo, OCR boxes and fields.';
}

function cardRow(card) {
  const tr = row(rowCells(card), () => openCard(card.imageId), shown.ctx.state.card === card.imageId);
  tr.dataset.id = card.imageId;
  shown.rows.set(card.imageId, tr);
  return tr;
}

async function openCard(imageId) {
  const { ctx, detail, rows } = shown;
  ctx.state.card = imageId;
  for (const [id, tr] of rows) tr.setAttribute('aria-selected', id === imageId ? 'true' : 'false');
  const card = new CardDetail(imageId);
  shown.open = card;
  shown.pending = undefined;
  if (!detail.firstChild) detail.replaceChildren(h('p.muted', {}, 'loading…'));
  detail.setAttribute('aria-busy', 'true');
  try {
    const el = await card.build();
    if (shown.open !== card) return;
    detail.replaceChildren(el);
    detail.removeAttribute('aria-busy');
    // An event that came in while it was being read.
    if (card.stale) await card.update();
  } catch (error) {
    // Not seen by the pipeline yet: its first card event builds it.
    if (shown.open !== card) return;
    shown.open = undefined;
    shown.pending = imageId;
    detail.removeAttribute('aria-busy');
    detail.replaceChildren(
      h(
        'div.panel',
        { id: 'card-pending' },
        h('p.muted', {}, `${imageId}: waiting for the pipeline (${error.message})`),
      ),
    );
  }
}

/** A live `card` event (the journey that changed): its row is patched or added, the open card patched. */
export function onCardEvent(journey) {
  if (!shown?.table.isConnected) return;
  const tr = shown.rows.get(journey.imageId);
  if (tr) {
    const cells = rowCells(journey);
    for (const [i, td] of [...tr.querySelectorAll('td')].entries()) td.replaceChildren(cells[i]);
  } else {
    shown.table.querySelector('tr').after(cardRow(journey));
    describeList();
  }
  const open = shown.open;
  if (open?.imageId === journey.imageId) {
    if (open.el?.isConnected) open.update().catch(() => {});
    else open.stale = true;
  } else if (shown.pending === journey.imageId && !shown.open) {
    shown.pending = undefined;
    openCard(journey.imageId);
  }
}
