/** Draws one card design with @napi-rs/canvas: text blocks, logos with glyph-like shapes, icons, decorations. */
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { PhoneKind } from '../../src/domain/card-fields.js';
import type { Design, LogoKind } from './design.js';
import { CJK_FAMILY, type Face, font } from './fonts.js';
import type { Person } from './people.js';
import type { Rng } from './rng.js';

type Icon = 'phone' | 'mail' | 'globe' | 'pin';
/** A text's letter spacing is in text heights, so that a line shrunk to fit its column shrinks its spacing too. */
export type Seg =
  | { kind: 'text'; text: string; face: Face; color: string; spacing?: number }
  | { kind: 'logo'; logo: LogoKind; color: string }
  | { kind: 'icon'; icon: Icon; color: string }
  | { kind: 'gap'; em: number };

export interface Line {
  segs: Seg[];
  /** Text height in pixels. */
  px: number;
  /** Extra space after the line, in text heights. */
  after?: number;
}

export interface Block {
  lines: Line[];
  align: 'left' | 'center' | 'right';
}

/** What the card prints, for the truth file. */
export interface Printed {
  company: string;
  phone: string | null;
  phones: Array<{ number: string; kind: PhoneKind }>;
  address: string | null;
}

const LABELS: Record<'letter' | 'word' | 'colon', Record<PhoneKind, string>> = {
  letter: { office: 'T', mobile: 'M', fax: 'F', direct: 'D', other: 'T' },
  word: { office: 'Tel.', mobile: 'Mobile', fax: 'Fax', direct: 'Direct', other: 'Tel.' },
  colon: { office: 'Phone:', mobile: 'Mobile:', fax: 'Fax:', direct: 'Direct:', other: 'Phone:' },
};

export function renderCard(r: Rng, design: Design, person: Person): { canvas: Canvas; printed: Printed } {
  const { width: W, height: H, palette: p, faces } = design;
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, W, H);
  const unit = design.layout === 'vertical' ? W * 1.05 : H;
  const px = {
    name: design.sizes.name * unit,
    title: design.sizes.title * unit,
    company: design.sizes.company * unit,
    body: design.sizes.body * unit,
  };
  const company = design.companyCaps ? person.company.toUpperCase() : person.company;
  const onPanel = design.layout === 'band' || design.layout === 'split';
  const brandColor = onPanel ? p.onAccent : r.chance(0.5) ? p.accent : p.text;
  const nameColor = r.chance(0.3) ? p.accent : p.text;
  const textColor = p.text;

  // Brand: logo and company name (the logo beside the name, above it, or in a corner of its own).
  const brand: Line[] = [];
  const companySeg: Seg = {
    kind: 'text',
    text: company,
    face: faces.company,
    color: brandColor,
    spacing: design.companySpacing,
  };
  // On a coloured panel the logo stays with the company name.
  const logoPlace = onPanel && design.logoPlace === 'corner' ? 'above' : design.logoPlace;
  if (design.logo && logoPlace === 'beside') {
    brand.push({
      segs: [{ kind: 'logo', logo: design.logo, color: brandColor }, { kind: 'gap', em: 0.45 }, companySeg],
      px: px.company,
    });
  } else {
    if (design.logo && logoPlace === 'above')
      brand.push({ segs: [{ kind: 'logo', logo: design.logo, color: brandColor }], px: px.company * 1.5, after: 0.1 });
    brand.push({ segs: [companySeg], px: px.company });
  }
  if (design.tagline) {
    brand.push({
      segs: [{ kind: 'text', text: design.tagline, face: faces.title, color: onPanel ? p.onAccent : p.muted }],
      px: px.body * 0.9,
    });
  }

  const identity: Line[] = design.nameTitleOneLine
    ? [
        {
          segs: [
            { kind: 'text', text: `${person.name} | `, face: faces.name, color: nameColor },
            { kind: 'text', text: person.title, face: faces.title, color: p.muted },
          ],
          px: px.title * 1.25,
        },
      ]
    : [
        { segs: [{ kind: 'text', text: person.name, face: faces.name, color: nameColor }], px: px.name, after: 0.25 },
        { segs: [{ kind: 'text', text: person.title, face: faces.title, color: p.muted }], px: px.title },
      ];

  // Contacts.
  const labelStyle =
    design.phoneLabels === 'none' && person.phones.some((ph) => ph.kind === 'fax') ? 'word' : design.phoneLabels;
  const phoneSegs = (kind: PhoneKind, number: string): Seg[] => {
    const segs: Seg[] = [];
    if (labelStyle === 'icon' && kind !== 'fax')
      segs.push({ kind: 'icon', icon: 'phone', color: p.accent }, { kind: 'gap', em: 0.4 });
    else if (labelStyle !== 'none') {
      const label = LABELS[labelStyle === 'icon' ? 'word' : labelStyle][kind];
      segs.push({ kind: 'text', text: `${label} `, face: faces.label, color: r.chance(0.5) ? p.accent : textColor });
    }
    segs.push({ kind: 'text', text: number, face: faces.body, color: textColor });
    return segs;
  };
  const phoneLines: Line[] = [];
  if (design.phonesOnOneLine && person.phones.length > 1) {
    const segs: Seg[] = [];
    person.phones.slice(0, 2).forEach((ph, i) => {
      if (i > 0) segs.push({ kind: 'text', text: r.pick(['  |  ', '   ', '  ·  ']), face: faces.body, color: p.muted });
      segs.push(...phoneSegs(ph.kind, ph.number));
    });
    phoneLines.push({ segs, px: px.body });
    for (const ph of person.phones.slice(2)) phoneLines.push({ segs: phoneSegs(ph.kind, ph.number), px: px.body });
  } else {
    for (const ph of person.phones) phoneLines.push({ segs: phoneSegs(ph.kind, ph.number), px: px.body });
  }
  const labelled = (label: string, icon: Icon, text: string): Line => {
    const segs: Seg[] = [];
    if (design.icons) segs.push({ kind: 'icon', icon, color: p.accent }, { kind: 'gap', em: 0.4 });
    else if (label) segs.push({ kind: 'text', text: label, face: faces.label, color: textColor });
    segs.push({ kind: 'text', text, face: faces.body, color: textColor });
    return { segs, px: px.body };
  };
  const emailLine = labelled(design.emailLabel, 'mail', person.email);
  const urlLine = person.url ? labelled(design.urlLabel, 'globe', person.url) : null;
  const addressLines: Line[] = [];
  if (person.address) {
    const lines = design.addressOnOneLine ? [person.address.join(', ')] : person.address;
    lines.forEach((text, i) => {
      const segs: Seg[] = [];
      if (design.icons && i === 0) segs.push({ kind: 'icon', icon: 'pin', color: p.accent }, { kind: 'gap', em: 0.4 });
      segs.push({ kind: 'text', text, face: faces.body, color: textColor });
      addressLines.push({ segs, px: px.body });
    });
  }
  const web = [emailLine, ...(urlLine ? [urlLine] : [])];
  const contact: Line[] =
    design.contactOrder === 'address-first'
      ? [...addressLines, ...phoneLines, ...web]
      : design.contactOrder === 'email-first'
        ? [...web, ...phoneLines, ...addressLines]
        : [...phoneLines, ...web, ...addressLines];

  const draw = new Drawer(ctx, design, onPanel ? p.accent : p.bg);
  draw.background();
  const m = (design.layout === 'vertical' ? 0.09 : 0.065) * W;
  const top = 0.09 * H;
  const bottom = H - 0.08 * H;
  switch (design.layout) {
    case 'centred':
    case 'vertical': {
      const align = design.layout === 'vertical' && r.chance(0.4) ? 'left' : 'center';
      draw.stack(
        [
          { lines: brand, align },
          { lines: identity, align },
          { lines: contact, align },
        ],
        m,
        W - m,
        top,
        bottom,
      );
      break;
    }
    case 'left':
      draw.stack(
        [
          { lines: brand, align: 'left' },
          { lines: identity, align: 'left' },
          { lines: contact, align: 'left' },
        ],
        m + (design.decoration === 'stripe' ? 0.03 * W : 0),
        design.qr ? 0.72 * W : W - m,
        top,
        bottom,
      );
      break;
    case 'right':
      draw.stack(
        [
          { lines: brand, align: 'left' },
          { lines: identity, align: 'right' },
          { lines: contact, align: 'right' },
        ],
        m,
        W - m,
        top,
        bottom,
      );
      break;
    case 'two-column': {
      const split = r.float(0.48, 0.55) * W;
      // An address too long for the left column goes right, where it is printed larger.
      const addressLeft =
        design.addressLeft && addressLines.length > 0 && draw.fitsShrunk(addressLines, split - 0.03 * W - m);
      const right = addressLeft ? contact.filter((l) => !addressLines.includes(l)) : contact;
      const left = addressLeft
        ? [...identity.map((l, i) => (i === identity.length - 1 ? { ...l, after: 1 } : l)), ...addressLines]
        : identity;
      draw.stack(
        [
          { lines: brand, align: 'left' },
          { lines: left, align: 'left' },
        ],
        m,
        split - 0.03 * W,
        top,
        bottom,
      );
      const rightAlign = r.chance(0.5) ? 'right' : 'left';
      draw.stack([{ lines: right, align: rightAlign }], split + 0.02 * W, W - m, top + 0.3 * H, bottom, 'bottom');
      break;
    }
    case 'band': {
      const bandH = r.float(0.24, 0.3) * H;
      ctx.fillStyle = p.accent;
      ctx.fillRect(0, 0, W, bandH);
      draw.stack(
        [{ lines: brand, align: r.chance(0.5) ? 'left' : 'center' }],
        m,
        W - m,
        0.04 * H,
        bandH - 0.03 * H,
        'middle',
      );
      const align = r.chance(0.6) ? 'left' : 'center';
      draw.stack(
        [
          { lines: identity, align },
          { lines: contact, align },
        ],
        m,
        design.qr ? 0.72 * W : W - m,
        bandH + 0.07 * H,
        bottom,
      );
      break;
    }
    case 'split': {
      const panel = r.float(0.33, 0.4) * W;
      const panelLeft = r.chance(0.7);
      ctx.fillStyle = p.accent;
      ctx.fillRect(panelLeft ? 0 : W - panel, 0, panel, H);
      const [px0, px1] = panelLeft ? [0.04 * W, panel - 0.04 * W] : [W - panel + 0.04 * W, W - 0.04 * W];
      draw.stack([{ lines: brand, align: 'center' }], px0, px1, top, bottom, 'middle');
      const [x0, x1] = panelLeft ? [panel + 0.05 * W, W - m] : [m, W - panel - 0.05 * W];
      draw.stack(
        [
          { lines: identity, align: 'left' },
          { lines: contact, align: 'left' },
        ],
        x0,
        x1,
        top,
        bottom,
      );
      break;
    }
  }
  const corners = (size: number): Array<[number, number]> => [
    [W - m - size, 0.08 * H],
    [W - m - size, H - 0.08 * H - size],
    [m, H - 0.08 * H - size],
  ];
  if (design.qr)
    draw.place(
      corners(0.22 * H)
        .slice(0, 2)
        .reverse(),
      0.22 * H,
      (x, y) => draw.qr(r, x, y, 0.22 * H),
    );
  if (design.logo && logoPlace === 'corner') {
    const size = px.company * 1.8;
    draw.place(corners(size), size, (x, y) => draw.logo(design.logo as LogoKind, x, y, size, p.accent));
  }
  draw.marks(r);

  const callable = person.phones.find((ph) => ph.kind !== 'fax');
  return {
    canvas,
    printed: {
      company,
      phone: callable?.number ?? null,
      phones: person.phones.map((ph) => ({ number: ph.number, kind: ph.kind })),
      address: person.address ? person.address.join(', ') : null,
    },
  };
}

/** How far a line may be shrunk to fit a column before the layout puts it elsewhere. */
const MIN_SHRINK = 0.55;

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export class Drawer {
  /** Everything drawn so far that must stay readable: marks placed later keep clear of it. */
  private readonly taken: Rect[] = [];

  constructor(
    private readonly ctx: SKRSContext2D,
    private readonly design: Design,
    /** The colour behind the brand (a panel's accent, or the card): logos cut their letters out in it. */
    private readonly knockout: string,
  ) {}

  free(rect: Rect, pad = 6): boolean {
    return this.taken.every(
      (t) => rect.x1 + pad < t.x0 || rect.x0 - pad > t.x1 || rect.y1 + pad < t.y0 || rect.y0 - pad > t.y1,
    );
  }

  private segWidth(seg: Seg, px: number): number {
    const ctx = this.ctx;
    if (seg.kind === 'gap') return seg.em * px;
    if (seg.kind === 'logo') return px * 1.35;
    if (seg.kind === 'icon') return px * 0.95;
    ctx.font = font(seg.face, px);
    ctx.letterSpacing = `${(seg.spacing ?? 0) * px}px`;
    const w = ctx.measureText(seg.text).width;
    ctx.letterSpacing = '0px';
    return w;
  }

  private lineWidth(line: Line, px = line.px): number {
    return line.segs.reduce((sum, seg) => sum + this.segWidth(seg, px), 0);
  }

  /**
   * Shrinks every line to fit `maxWidth`, however far: print run past its column is lost or lands on another's
   * (the truth would name letters the photo does not show).
   */
  private fit(block: Block, maxWidth: number): void {
    for (const line of block.lines) {
      // Fonts are drawn at whole pixel sizes, so one proportional step can land a hair too wide. (Not below a pixel:
      // a column of no width is no reason to loop.)
      for (let w = this.lineWidth(line); w > maxWidth && line.px > 1; w = this.lineWidth(line))
        line.px *= (0.99 * maxWidth) / w;
    }
  }

  /** Every line fits `maxWidth` at no less than MIN_SHRINK of its size. */
  fitsShrunk(lines: Line[], maxWidth: number): boolean {
    return lines.every((line) => this.lineWidth(line) * MIN_SHRINK <= maxWidth);
  }

  private height(lines: Line[]): number {
    return lines.reduce((sum, l, i) => sum + l.px * (i === lines.length - 1 ? 1 : 1.38 + (l.after ?? 0)), 0);
  }

  /**
   * Blocks stacked between `top` and `bottom` in [x0, x1]: the first at the top, the last at the bottom, the
   * rest spaced evenly (or all together at the top / bottom / middle).
   */
  stack(
    blocks: Block[],
    x0: number,
    x1: number,
    top: number,
    bottom: number,
    anchor: 'spread' | 'bottom' | 'middle' = 'spread',
  ): void {
    const live = blocks.filter((b) => b.lines.length > 0);
    for (const b of live) this.fit(b, x1 - x0);
    const heights = () => live.map((b) => this.height(b.lines));
    let total = heights().reduce((a, b) => a + b, 0);
    const minGap = 0.6 * Math.min(...live.flatMap((b) => b.lines.map((l) => l.px)));
    const room = bottom - top - minGap * (live.length - 1);
    if (total > room) {
      const k = room / total;
      for (const b of live) for (const l of b.lines) l.px *= k;
      total = heights().reduce((a, b) => a + b, 0);
    }
    const hs = heights();
    let gap = live.length > 1 ? (bottom - top - total) / (live.length - 1) : 0;
    let y = top;
    if (anchor !== 'spread' || live.length === 1) {
      gap = minGap * 1.6;
      const used = total + gap * (live.length - 1);
      y = anchor === 'bottom' ? bottom - used : anchor === 'middle' ? top + (bottom - top - used) / 2 : top;
    }
    live.forEach((b, i) => {
      this.block(b, x0, x1, y);
      y += hs[i] + gap;
    });
  }

  private block(block: Block, x0: number, x1: number, top: number): void {
    let y = top;
    for (const line of block.lines) {
      const w = this.lineWidth(line);
      let x = block.align === 'left' ? x0 : block.align === 'right' ? x1 - w : (x0 + x1 - w) / 2;
      const baseline = y + line.px * 0.8;
      for (const seg of line.segs) {
        const sw = this.segWidth(seg, line.px);
        if (seg.kind === 'text') {
          const ctx = this.ctx;
          ctx.font = font(seg.face, line.px);
          ctx.letterSpacing = `${(seg.spacing ?? 0) * line.px}px`;
          ctx.fillStyle = seg.color;
          ctx.fillText(seg.text, x, baseline);
          ctx.letterSpacing = '0px';
        } else if (seg.kind === 'logo') {
          const size = line.px * 1.35;
          this.logo(seg.logo, x, baseline - line.px * 0.35 - size / 2, size, seg.color);
        } else if (seg.kind === 'icon') {
          this.icon(seg.icon, x, baseline - line.px * 0.75, line.px * 0.8, seg.color);
        }
        if (seg.kind !== 'gap') this.taken.push({ x0: x, y0: y - line.px * 0.2, x1: x + sw, y1: y + line.px * 1.15 });
        x += sw;
      }
      y += line.px * (1.38 + (line.after ?? 0));
    }
  }

  /** A logo mark in the square (x, y, size): shapes that OCR may take for letters. */
  logo(kind: LogoKind, x: number, y: number, s: number, color: string): void {
    const ctx = this.ctx;
    ctx.save();
    ctx.fillStyle = color;
    ctx.strokeStyle = color;
    ctx.lineWidth = Math.max(2, s * 0.09);
    const cx = x + s / 2;
    const cy = y + s / 2;
    const letter = (text: string, fill: string) => {
      ctx.fillStyle = fill;
      ctx.font = `${Math.round(s * 0.55)}px "${this.design.faces.company.family}"`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(text, cx, cy + s * 0.03);
    };
    const initial = (this.design.faces.company.family.length % 26) + 65;
    switch (kind) {
      case 'ring-monogram':
        ctx.beginPath();
        ctx.arc(cx, cy, s * 0.45, 0, Math.PI * 2);
        ctx.stroke();
        letter(String.fromCharCode(initial), color);
        break;
      case 'disc-monogram':
        ctx.beginPath();
        ctx.arc(cx, cy, s * 0.47, 0, Math.PI * 2);
        ctx.fill();
        letter(String.fromCharCode(initial), this.knockout);
        break;
      case 'bars':
        for (let i = 0; i < 3; i++) {
          const h = s * (0.45 + 0.25 * i);
          ctx.fillRect(x + i * s * 0.34, y + s - h, s * 0.22, h);
        }
        break;
      case 'chevrons':
        ctx.lineWidth = s * 0.14;
        for (const dx of [0, 0.38]) {
          ctx.beginPath();
          ctx.moveTo(x + s * (0.1 + dx), y + s * 0.12);
          ctx.lineTo(x + s * (0.45 + dx), cy);
          ctx.lineTo(x + s * (0.1 + dx), y + s * 0.88);
          ctx.stroke();
        }
        break;
      case 'diamond':
        ctx.beginPath();
        ctx.moveTo(cx, y);
        ctx.lineTo(x + s, cy);
        ctx.lineTo(cx, y + s);
        ctx.lineTo(x, cy);
        ctx.closePath();
        ctx.fill();
        break;
      case 'peaks':
        ctx.beginPath();
        ctx.moveTo(x, y + s);
        ctx.lineTo(x + s * 0.35, y + s * 0.25);
        ctx.lineTo(x + s * 0.55, y + s * 0.6);
        ctx.lineTo(x + s * 0.75, y + s * 0.05);
        ctx.lineTo(x + s, y + s);
        ctx.closePath();
        ctx.fill();
        break;
      case 'leaf':
        ctx.beginPath();
        ctx.moveTo(x + s * 0.1, y + s * 0.9);
        ctx.bezierCurveTo(x, y + s * 0.2, x + s * 0.6, y, x + s * 0.95, y + s * 0.05);
        ctx.bezierCurveTo(x + s, y + s * 0.6, x + s * 0.5, y + s, x + s * 0.1, y + s * 0.9);
        ctx.fill();
        break;
      case 'cjk':
        ctx.fillRect(x, y, s, s);
        ctx.fillStyle = this.knockout;
        ctx.font = `${Math.round(s * 0.78)}px "${CJK_FAMILY}"`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(this.design.cjkGlyph, cx, cy + s * 0.04);
        break;
      case 'grid':
        for (const [i, j] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ])
          ctx.fillRect(x + i * s * 0.54, y + j * s * 0.54, s * 0.42, s * 0.42);
        break;
      case 'hexagon':
        ctx.beginPath();
        for (let i = 0; i < 6; i++) {
          const a = Math.PI / 6 + (i * Math.PI) / 3;
          ctx.lineTo(cx + s * 0.48 * Math.cos(a), cy + s * 0.48 * Math.sin(a));
        }
        ctx.closePath();
        ctx.stroke();
        letter(String.fromCharCode(initial + 1 > 90 ? 65 : initial + 1), color);
        break;
      case 'swoosh':
        ctx.lineWidth = s * 0.12;
        ctx.beginPath();
        ctx.arc(cx, cy + s * 0.5, s * 0.55, Math.PI * 1.15, Math.PI * 1.85);
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(cx, cy + s * 0.75, s * 0.55, Math.PI * 1.2, Math.PI * 1.8);
        ctx.stroke();
        break;
    }
    ctx.restore();
  }

  private icon(kind: Icon, x: number, y: number, s: number, color: string): void {
    const ctx = this.ctx;
    ctx.save();
    ctx.fillStyle = color;
    ctx.strokeStyle = color;
    ctx.lineWidth = Math.max(1.5, s * 0.1);
    const cx = x + s / 2;
    const cy = y + s / 2;
    switch (kind) {
      case 'phone':
        ctx.beginPath();
        ctx.arc(cx, cy, s / 2, 0, Math.PI * 2);
        ctx.fill();
        ctx.fillStyle = this.design.palette.bg;
        ctx.fillRect(cx - s * 0.12, cy - s * 0.28, s * 0.24, s * 0.56);
        break;
      case 'mail':
        ctx.strokeRect(x, y + s * 0.15, s, s * 0.7);
        ctx.beginPath();
        ctx.moveTo(x, y + s * 0.15);
        ctx.lineTo(cx, cy + s * 0.05);
        ctx.lineTo(x + s, y + s * 0.15);
        ctx.stroke();
        break;
      case 'globe':
        ctx.beginPath();
        ctx.arc(cx, cy, s / 2, 0, Math.PI * 2);
        ctx.stroke();
        ctx.beginPath();
        ctx.ellipse(cx, cy, s * 0.2, s / 2, 0, 0, Math.PI * 2);
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(x, cy);
        ctx.lineTo(x + s, cy);
        ctx.stroke();
        break;
      case 'pin':
        ctx.beginPath();
        ctx.arc(cx, y + s * 0.35, s * 0.33, Math.PI, 0);
        ctx.lineTo(cx, y + s);
        ctx.closePath();
        ctx.fill();
        break;
    }
    ctx.restore();
  }

  /** Decorations behind the text: a side stripe, a bar, a faint watermark or dots. */
  background(): void {
    const { width: W, height: H, palette: p, decoration } = this.design;
    const ctx = this.ctx;
    ctx.save();
    ctx.fillStyle = p.accent;
    if (decoration === 'stripe') ctx.fillRect(0, 0, 0.03 * W, H);
    if (decoration === 'bottom-bar') ctx.fillRect(0, H - 0.035 * H, W, 0.035 * H);
    if (decoration === 'watermark' && this.design.logo) {
      ctx.globalAlpha = 0.07;
      this.logo(this.design.logo, W * 0.55, H * 0.15, H * 0.7, p.accent);
    }
    if (decoration === 'dots') {
      ctx.globalAlpha = 0.12;
      for (let y = 6; y < H; y += 18) for (let x = W * 0.8; x < W; x += 18) ctx.fillRect(x, y, 3, 3);
    }
    ctx.restore();
  }

  /** Decorations placed once the text is down, only where they cross none of it: a rule, a corner. */
  marks(r: Rng): void {
    const { width: W, height: H, palette: p, decoration } = this.design;
    const ctx = this.ctx;
    ctx.save();
    ctx.fillStyle = p.accent;
    ctx.strokeStyle = p.accent;
    if (decoration === 'rule') {
      const x0 = 0.065 * W;
      const x1 = r.float(0.3, 0.93) * W;
      for (let y = 0.3 * H; y < 0.85 * H; y += 4) {
        if (!this.free({ x0, y0: y - 2, x1, y1: y + 2 }, 8)) continue;
        ctx.lineWidth = 2;
        ctx.globalAlpha = 0.5;
        ctx.beginPath();
        ctx.moveTo(x0, y);
        ctx.lineTo(x1, y);
        ctx.stroke();
        break;
      }
    }
    if (decoration === 'corner' && this.free({ x0: W - 0.16 * W, y0: H - 0.16 * W, x1: W, y1: H }, 4)) {
      ctx.beginPath();
      ctx.moveTo(W, H);
      ctx.lineTo(W - 0.16 * W, H);
      ctx.lineTo(W, H - 0.16 * W);
      ctx.fill();
    }
    ctx.restore();
  }

  /** A mark of `size` in the first of `spots` (top-left corners) where it crosses nothing; false if none. */
  place(spots: Array<[number, number]>, size: number, draw: (x: number, y: number) => void): boolean {
    for (const [x, y] of spots) {
      const rect = { x0: x, y0: y, x1: x + size, y1: y + size };
      if (!this.free(rect, 10)) continue;
      draw(x, y);
      this.taken.push(rect);
      return true;
    }
    return false;
  }

  /** A square of random modules with three finder patterns, like a QR code. */
  qr(r: Rng, x: number, y: number, size: number): void {
    const ctx = this.ctx;
    const n = 25;
    const cell = size / n;
    ctx.save();
    ctx.fillStyle = this.design.palette.dark ? '#f0f0f0' : '#111111';
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (r.chance(0.45)) ctx.fillRect(x + i * cell, y + j * cell, cell, cell);
    for (const [fx, fy] of [
      [0, 0],
      [n - 7, 0],
      [0, n - 7],
    ]) {
      ctx.fillStyle = this.design.palette.dark ? '#f0f0f0' : '#111111';
      ctx.fillRect(x + fx * cell, y + fy * cell, 7 * cell, 7 * cell);
      ctx.fillStyle = this.design.palette.bg;
      ctx.fillRect(x + (fx + 1) * cell, y + (fy + 1) * cell, 5 * cell, 5 * cell);
      ctx.fillStyle = this.design.palette.dark ? '#f0f0f0' : '#111111';
      ctx.fillRect(x + (fx + 2) * cell, y + (fy + 2) * cell, 3 * cell, 3 * cell);
    }
    ctx.restore();
  }
}
