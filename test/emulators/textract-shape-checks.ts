/** Structural summary and invariants of a Textract text response, computed alike for real fixtures and ours. */
type AnyBlock = Record<string, any>;
type Response = { Blocks?: AnyBlock[]; DocumentMetadata?: Record<string, unknown>; [key: string]: unknown };

const TEXT_TYPES = ['PAGE', 'LINE', 'WORD'];
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SDK_KEYS = new Set(['$metadata', 'ResponseMetadata']);

export interface BlockTypeShape {
  /** Keys present in every block of the type. */
  alwaysKeys: string[];
  /** Keys present in some block of the type. */
  someKeys: string[];
  geometryKeys: string[];
  boundingBoxKeys: string[];
  polygonLengths: number[];
  relationshipTypes: string[];
  childBlockTypes: string[];
  textTypes: string[];
}

export function shapeOf(response: Response): {
  topKeys: string[];
  metadataKeys: string[];
  blocks: Record<string, BlockTypeShape>;
} {
  const blocks = response.Blocks ?? [];
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const result: Record<string, BlockTypeShape> = {};
  for (const type of TEXT_TYPES) {
    const ofType = blocks.filter((b) => b.BlockType === type);
    const keySets = ofType.map((b) => Object.keys(b).filter((k) => b[k] !== undefined));
    const all = new Set(keySets.flat());
    result[type] = {
      alwaysKeys: [...all].filter((k) => keySets.every((keys) => keys.includes(k))).sort(),
      someKeys: [...all].sort(),
      geometryKeys: uniq(ofType.flatMap((b) => Object.keys(b.Geometry ?? {}))),
      boundingBoxKeys: uniq(ofType.flatMap((b) => Object.keys(b.Geometry?.BoundingBox ?? {}))),
      polygonLengths: uniq(ofType.map((b) => b.Geometry?.Polygon?.length)),
      relationshipTypes: uniq(ofType.flatMap((b) => (b.Relationships ?? []).map((r: AnyBlock) => r.Type))),
      childBlockTypes: uniq(
        ofType.flatMap((b) =>
          (b.Relationships ?? [])
            .filter((r: AnyBlock) => r.Type === 'CHILD')
            .flatMap((r: AnyBlock) => r.Ids.map((id: string) => byId.get(id)?.BlockType)),
        ),
      ).filter((t) => TEXT_TYPES.includes(String(t))),
      textTypes: uniq(ofType.map((b) => b.TextType).filter(Boolean)),
    };
  }
  return {
    topKeys: Object.keys(response)
      .filter((k) => !SDK_KEYS.has(k) && response[k] !== undefined)
      .sort(),
    metadataKeys: Object.keys(response.DocumentMetadata ?? {}).sort(),
    blocks: result,
  };
}

/** Every rule shapes.md states for PAGE/LINE/WORD blocks; returns the violations (empty when all hold). */
export function textBlockViolations(response: Response, opts: { async: boolean }): string[] {
  const problems: string[] = [];
  const fail = (msg: string) => problems.length < 20 && problems.push(msg);
  const blocks = response.Blocks ?? [];
  const ids = new Set<string>();
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const wordParents = new Map<string, number>();

  for (const b of blocks) {
    if (!UUID_V4.test(b.Id)) fail(`bad Id ${b.Id}`);
    if (ids.has(b.Id)) fail(`duplicate Id ${b.Id}`);
    ids.add(b.Id);
    if (opts.async ? !(Number.isInteger(b.Page) && b.Page >= 1) : 'Page' in b && b.Page !== undefined)
      fail(`Page key wrong on ${b.Id}`);
    for (const [k, v] of Object.entries(b)) if (v === null) fail(`null ${k} on ${b.Id}`);
    if (b.Relationships !== undefined) {
      if (!Array.isArray(b.Relationships) || b.Relationships.length === 0) fail(`empty Relationships on ${b.Id}`);
      for (const r of b.Relationships ?? [])
        if (!Array.isArray(r.Ids) || r.Ids.length === 0) fail(`empty Ids on ${b.Id}`);
    }
    const box = b.Geometry?.BoundingBox;
    const poly = b.Geometry?.Polygon;
    if (!box || !Array.isArray(poly) || poly.length !== 4) {
      fail(`geometry missing on ${b.Id}`);
      continue;
    }
    for (const v of [box.Left, box.Top, box.Width, box.Height, ...poly.flatMap((p: AnyBlock) => [p.X, p.Y])]) {
      if (typeof v !== 'number' || v < 0 || v > 1) fail(`coordinate ${v} outside 0..1 on ${b.Id}`);
    }
    if (box.Left + box.Width > 1 + 1e-6 || box.Top + box.Height > 1 + 1e-6) fail(`box overflows the page on ${b.Id}`);
    const xs = poly.map((p: AnyBlock) => p.X);
    const ys = poly.map((p: AnyBlock) => p.Y);
    const hull = [
      Math.min(...xs) - box.Left,
      Math.min(...ys) - box.Top,
      Math.max(...xs) - box.Left - box.Width,
      Math.max(...ys) - box.Top - box.Height,
    ];
    if (hull.some((d) => Math.abs(d) > 1e-6)) fail(`BoundingBox is not the Polygon hull on ${b.Id}`);
    const [tl, tr, br, bl] = poly;
    if (!(tl.X <= tr.X && tr.Y <= br.Y && br.X >= bl.X && tl.Y <= bl.Y))
      fail(`Polygon not clockwise from top-left on ${b.Id}`);

    if (b.BlockType === 'PAGE' && ('Confidence' in b || 'Text' in b)) fail('PAGE with Confidence/Text');
    if (b.BlockType === 'LINE' || b.BlockType === 'WORD') {
      if (typeof b.Confidence !== 'number' || b.Confidence <= 0 || b.Confidence > 100)
        fail(`Confidence ${b.Confidence} on ${b.Id}`);
      if (typeof b.Text !== 'string' || b.Text.length === 0) fail(`no Text on ${b.Id}`);
    }
    if (b.BlockType === 'WORD') {
      if (/\s/.test(b.Text)) fail(`whitespace in WORD ${JSON.stringify(b.Text)}`);
      if (!['PRINTED', 'HANDWRITING'].includes(b.TextType)) fail(`TextType ${b.TextType}`);
      if (b.Relationships !== undefined) fail('WORD with Relationships');
    }
    if (b.BlockType === 'LINE') {
      const children = (b.Relationships ?? [])
        .filter((r: AnyBlock) => r.Type === 'CHILD')
        .flatMap((r: AnyBlock) => r.Ids);
      const words = children.map((id: string) => byId.get(id));
      if (words.length === 0 || words.some((w: AnyBlock | undefined) => w?.BlockType !== 'WORD'))
        fail(`LINE ${b.Id} children are not WORDs`);
      for (const id of children) wordParents.set(id, (wordParents.get(id) ?? 0) + 1);
      const okWords = words.filter(Boolean) as AnyBlock[];
      if (okWords.map((w) => w.Text).join(' ') !== b.Text) fail(`LINE text is not its words joined: ${b.Text}`);
      const mean = okWords.reduce((s, w) => s + w.Confidence, 0) / okWords.length;
      if (Math.abs(mean - b.Confidence) > 1e-4) fail(`LINE confidence ${b.Confidence} != mean ${mean}`);
    }
  }
  for (const b of blocks)
    if (b.BlockType === 'WORD' && wordParents.get(b.Id) !== 1)
      fail(`WORD ${b.Id} has ${wordParents.get(b.Id) ?? 0} parent LINEs`);

  // Order per page: PAGE, its LINEs, then its WORDs in the order of the LINEs' child lists.
  const text = blocks.filter((b) => TEXT_TYPES.includes(b.BlockType));
  let i = 0;
  let pages = 0;
  while (i < text.length) {
    const page = text[i];
    if (page.BlockType !== 'PAGE') {
      fail(`expected PAGE at text block ${i}, got ${page.BlockType}`);
      break;
    }
    pages += 1;
    i += 1;
    const lines: AnyBlock[] = [];
    while (i < text.length && text[i].BlockType === 'LINE') lines.push(text[i++]);
    const expectedWords = lines.flatMap((l) => l.Relationships.find((r: AnyBlock) => r.Type === 'CHILD').Ids);
    const words: string[] = [];
    while (i < text.length && text[i].BlockType === 'WORD') words.push(text[i++].Id);
    if (expectedWords.join() !== words.join()) fail(`WORD order on page ${pages} differs from the LINE child order`);
    const pageChildren = (page.Relationships ?? [])
      .filter((r: AnyBlock) => r.Type === 'CHILD')
      .flatMap((r: AnyBlock) => r.Ids);
    const pageLineChildren = pageChildren.filter((id: string) => byId.get(id)?.BlockType === 'LINE');
    if (pageLineChildren.join() !== lines.map((l) => l.Id).join())
      fail(`PAGE ${pages} CHILD lines differ from its LINE blocks`);
    if (pageChildren.some((id: string) => byId.get(id)?.BlockType === 'WORD')) fail('PAGE points at a WORD');
  }
  if (pages !== response.DocumentMetadata?.Pages)
    fail(`DocumentMetadata.Pages ${response.DocumentMetadata?.Pages} != ${pages} PAGE blocks`);
  return problems;
}

function uniq<T>(values: T[]): T[] {
  return [...new Set(values)].sort();
}
