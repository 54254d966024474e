import { events, loadConfig } from './api.js';
import { cardsView, onCardEvent } from './cards.js';
import { h, toast } from './dom.js';
import { onPipelineEvent, pipelineView } from './pipeline.js';
import { resourcesView } from './resources.js';
import { searchView } from './search.js';
import { onTraceInvocation, traceView } from './trace.js';

const VIEWS = {
  pipeline: pipelineView,
  cards: cardsView,
  trace: traceView,
  resources: resourcesView,
  search: searchView,
};
/** Live events each view patches itself with (the others ignore them: their data is read when they open). */
const LIVE = {
  pipeline: { pipeline: onPipelineEvent },
  cards: { card: onCardEvent },
  trace: { invocation: onTraceInvocation },
};
const main = document.getElementById('main');
const ctx = {
  view: 'pipeline',
  state: {},
  params: undefined,
  config: undefined,
  replay: undefined,
  go(view, params) {
    if (view === 'trace' && params) ctx.state.filters = { ...params };
    ctx.params = params;
    location.hash = `#${view}`;
    if (ctx.view === view) ctx.refresh();
  },
  refresh: undefined,
};

let rendering = Promise.resolve();
let again = false;
async function render() {
  ctx.view = VIEWS[location.hash.slice(1)] ? location.hash.slice(1) : 'pipeline';
  for (const b of document.querySelectorAll('nav button'))
    b.setAttribute('aria-current', b.dataset.view === ctx.view ? 'page' : 'false');
  const active = document.activeElement;
  const focusKey =
    active && main.contains(active)
      ? (active.dataset?.id ?? active.getAttribute('aria-label') ?? active.name)
      : undefined;
  backlog = [];
  try {
    const view = await VIEWS[ctx.view](ctx);
    ctx.params = undefined;
    main.replaceChildren(view);
    // Events that came in while the view read its data, now that it is on screen to patch.
    const missed = backlog;
    backlog = undefined;
    for (const [type, data] of missed) dispatch(type, data);
    if (focusKey)
      main
        .querySelector(
          `[data-id="${CSS.escape(focusKey)}"], [aria-label="${CSS.escape(focusKey)}"], [name="${CSS.escape(focusKey)}"]`,
        )
        ?.focus();
  } catch (error) {
    backlog = undefined;
    main.replaceChildren(h('p.err', { role: 'alert' }, `Could not load ${ctx.view}: ${error.message}`));
  }
  document.body.dataset.ready = ctx.view;
}

/** Renders at most one view at a time; events arriving meanwhile collapse into one more render. */
ctx.refresh = () => {
  if (again) return rendering;
  again = true;
  rendering = rendering.then(() => {
    again = false;
    return render();
  });
  return rendering;
};

/** Set while a view reads its data: the events it must still see once drawn. */
let backlog;
function dispatch(type, data) {
  const handler = LIVE[ctx.view]?.[type];
  if (!handler) return;
  if (backlog) backlog.push([type, data]);
  else handler(data, ctx);
}

async function upload(files) {
  const { apiKey, stage, bucket, prefixes } = ctx.config;
  const owner = (document.getElementById('owner').value || 'anon').replace(/[^A-Za-z0-9-]/g, '') || 'anon';
  for (const file of files) {
    if (!/^image\/(jpeg|png)$/.test(file.type)) {
      toast(`${file.name}: only JPEG and PNG cards`);
      continue;
    }
    const name = file.name.replace(/[^A-Za-z0-9._-]/g, '-');
    const imageId = name.startsWith(`${owner}_`) ? name : `${owner}_${name}`;
    const response = await fetch(`/${stage}/${bucket}/${prefixes.rawImages}${encodeURIComponent(imageId)}`, {
      method: 'PUT',
      headers: { 'x-api-key': apiKey, 'content-type': file.type },
      body: file,
    });
    toast(response.ok ? `uploaded ${imageId}` : `upload of ${imageId} failed: HTTP ${response.status}`);
    if (response.ok) ctx.state.card = imageId;
  }
  ctx.go('cards');
}

function wireUpload() {
  const input = document.getElementById('file');
  input.addEventListener('change', () => {
    if (input.files?.length) upload([...input.files]).finally(() => (input.value = ''));
  });
  const drop = document.getElementById('drop');
  let depth = 0;
  window.addEventListener('dragenter', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    depth++;
    drop.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) drop.hidden = true;
  });
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    drop.hidden = true;
    if (e.dataTransfer?.files.length) upload([...e.dataTransfer.files]);
  });
}

function wireKeys() {
  for (const b of document.querySelectorAll('nav button')) b.addEventListener('click', () => ctx.go(b.dataset.view));
  window.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName ?? '');
    if (e.key === 'Escape') {
      ctx.state.invocation = undefined;
      ctx.state.card = undefined;
      document.activeElement?.blur();
      ctx.refresh();
      return;
    }
    if (typing) return;
    const view = Object.keys(VIEWS)[Number(e.key) - 1];
    if (view) ctx.go(view);
    else if (e.key === '/') {
      e.preventDefault();
      main.querySelector('select, input')?.focus();
    } else if (e.key === 'u') document.getElementById('file').click();
    else if (e.key === 'r' && ctx.view === 'trace' && ctx.state.invocation) ctx.replay?.();
  });
}

function showReload(report) {
  const el = document.getElementById('reload');
  if (report.status === 'ignored') return;
  el.hidden = false;
  el.className = `reload ${report.status}`;
  if (report.status === 'ok') {
    const check =
      report.typecheck === 'pending'
        ? ' · type check running'
        : report.typecheck === 'passed'
          ? ' · type check passed'
          : '';
    el.textContent = `Reloaded ${report.reloaded.join(', ')}: new code serving ${Math.round(report.loadMs ?? 0)} ms after the save (${report.files.join(', ')})${check}`;
    if (report.typecheck !== 'pending') setTimeout(() => (el.hidden = true), 4000);
  } else {
    el.textContent = `Hot reload failed, ${report.rolledBack ? 'previous version restored' : 'previous version keeps serving'}:\n${(
      report.errors ?? []
    )
      .map((e) => `${e.file ? `${e.file}:${e.line}:${e.column} ` : ''}${e.message}`)
      .join('\n')}`;
  }
}

async function start() {
  ctx.config = await loadConfig();
  wireKeys();
  wireUpload();
  window.addEventListener('hashchange', () => ctx.refresh());
  const live = document.getElementById('live');
  events(
    {
      invocation: (summary) => dispatch('invocation', summary),
      card: (journey) => dispatch('card', journey),
      pipeline: (counts) => dispatch('pipeline', counts),
      reload: showReload,
      reset: () => {
        ctx.state = {};
        ctx.refresh();
      },
    },
    (on) => {
      live.textContent = on ? 'live' : 'reconnecting…';
      live.className = `live ${on ? 'on' : 'off'}`;
    },
  );
  await ctx.refresh();
  performance.mark('cockpit-ready');
}

start().catch((error) =>
  main.replaceChildren(h('p.err', { role: 'alert' }, `The cockpit could not start: ${error.message}`)),
);
