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

/** The photo with the OCR lines boxed; lines that made it into a field are highlighted. */
async function cardImage(imageId, fields) {
  const wrap = h('div.card-view', {});
  const img = h('img', { src: `/_octember/api/cards/${encodeURIComponent(imageId)}/image`, alt: `Card ${imageId}` });
  wrap.append(img);
  try {
    const ocr = await get(`/cards/${encodeURIComponent(imageId)}/ocr`);
    const values = FIELDS.map((f) => fields?.[f])
      .filter((v) => typeof v === 'string' && v.length > 2)
      .map((v) => v.toLowerCase());
    const svg = s('svg', {
      viewBox: '0 0 1000 1000',
      preserveAspectRatio: 'none',
      'aria-label': `${ocr.blocks.length} OCR boxes`,
      role: 'img',
      class: 'ocr-boxes',
    });
    for (const block of ocr.blocks.filter((b) => b.type === 'LINE')) {
      const text = (block.text ?? '').toLowerCase();
      const used = values.some((v) => v.includes(text) || text.includes(v));
      svg.append(
        s(
          'rect',
          {
            class: `LINE${used ? ' field' : ''}`,
            x: block.box.Left * 1000,
            y: block.box.Top * 1000,
            width: block.box.Width * 1000,
            height: block.box.Height * 1000,
          },
          s('title', {}, `${block.text} (${Math.round(block.confidence ?? 0)} %)`),
        ),
      );
    }
    wrap.append(svg);
  } catch (error) {
    wrap.append(h('p.err', {}, `OCR boxes unavailable: ${error.message}`));
  }
  return wrap;
}

async function cardDetail(imageId) {
  const { journey, status } = await get(`/cards/${encodeURIComponent(imageId)}`);
  const fields = status?.data ?? journey?.fields;
  return h(
    'div.panel',
    { id: 'card-detail' },
    h('h3', {}, imageId, ' ', badge(status?.status ?? journey?.status ?? '?')),
    await cardImage(imageId, fields),
    h('h3', {}, 'Extracted fields'),
    fields
      ? h(
          'table.fields',
          {},
          FIELDS.map((f) => h('tr', {}, h('th', {}, f), h('td', { 'data-field': f }, fields[f] ?? '—'))),
        )
      : h('p.muted', {}, status?.error ? `failed: ${status.error}` : 'not extracted yet'),
    journey ? h('div', {}, h('h3', {}, 'Journey'), stages(journey)) : null,
    status?.error ? json({ error: status.error }) : null,
  );
}

export async function cardsView(ctx) {
  const { cards } = await get('/cards');
  const detail = h('div', { 'aria-live': 'polite' });
  const open = async (id) => {
    ctx.state.card = id;
    detail.replaceChildren(h('p.muted', {}, 'loading…'));
    try {
      detail.replaceChildren(await cardDetail(id));
    } catch (error) {
      // Not seen by the pipeline yet: the next card event renders it.
      detail.replaceChildren(h('div.panel', { id: 'card-pending' }, h('p.muted', {}, `${id}: ${error.message}`)));
    }
  };
  const table = h(
    'table',
    { 'aria-label': 'Cards' },
    h(
      'tr',
      {},
      ['card', 'owner', 'status', 'stages', 'total'].map((t) => h('th', {}, t)),
    ),
    cards.map((c) =>
      row(
        [c.imageId, c.owner, badge(c.status), stages(c), ms(c.lastAt - c.firstAt)],
        () => open(c.imageId),
        ctx.state.card === c.imageId,
      ),
    ),
  );
  if (ctx.state.card) open(ctx.state.card);
  return h(
    'section',
    {},
    h('h2', {}, 'Cards'),
    h(
      'p.muted',
      {},
      cards.length === 0
        ? 'No card yet: drop a photo anywhere on the page or use Upload card.'
        : 'Every card through the stages, live. Select one for its photo, OCR boxes and fields.',
    ),
    h('div.cols', {}, h('div.panel', {}, table), detail),
  );
}

export function onCardEvent(ctx) {
  if (ctx.view === 'cards') ctx.refresh();
}
