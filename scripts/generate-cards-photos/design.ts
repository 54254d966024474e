/**
 * How one person's card looks: layout, palette, fonts, logo, labels, decorations. One design per person: the
 * same printed card is photographed by everyone who holds it.
 */
import type { Face } from './fonts.js';
import type { Person } from './people.js';
import type { Rng } from './rng.js';

export type Layout = 'centred' | 'left' | 'right' | 'two-column' | 'band' | 'split' | 'vertical';
export type LogoKind =
  | 'ring-monogram'
  | 'disc-monogram'
  | 'bars'
  | 'chevrons'
  | 'diamond'
  | 'peaks'
  | 'leaf'
  | 'cjk'
  | 'grid'
  | 'hexagon'
  | 'swoosh';
export type LogoPlace = 'beside' | 'above' | 'corner';
export type PhoneLabels = 'letter' | 'word' | 'colon' | 'none' | 'icon';
export type Decoration = 'none' | 'rule' | 'stripe' | 'corner' | 'watermark' | 'dots' | 'bottom-bar';

export interface Palette {
  bg: string;
  text: string;
  muted: string;
  accent: string;
  /** Text printed on an accent-coloured panel or band. */
  onAccent: string;
  dark: boolean;
}

export interface Design {
  layout: Layout;
  width: number;
  height: number;
  palette: Palette;
  faces: { name: Face; title: Face; company: Face; body: Face; label: Face };
  /** Text heights in fractions of the card's height (landscape) or width (vertical). */
  sizes: { name: number; title: number; company: number; body: number };
  companyCaps: boolean;
  companySpacing: number;
  logo: LogoKind | null;
  logoPlace: LogoPlace;
  cjkGlyph: string;
  phoneLabels: PhoneLabels;
  emailLabel: string;
  urlLabel: string;
  icons: boolean;
  phonesOnOneLine: boolean;
  addressOnOneLine: boolean;
  contactOrder: 'phones-first' | 'address-first' | 'email-first';
  nameTitleOneLine: boolean;
  decoration: Decoration;
  tagline: string | null;
  qr: boolean;
  /** two-column: the address goes under the name in the left column. */
  addressLeft: boolean;
}

const LIGHT: Array<Omit<Palette, 'accent' | 'onAccent' | 'dark'>> = [
  { bg: '#ffffff', text: '#161616', muted: '#4a4a4a' },
  { bg: '#fbf7ee', text: '#1f1d1a', muted: '#5a5148' },
  { bg: '#f1f2f0', text: '#202428', muted: '#505860' },
  { bg: '#edf3f8', text: '#14263a', muted: '#3f5468' },
  { bg: '#f8eee8', text: '#2a1c18', muted: '#6a4c42' },
  { bg: '#eaf3ea', text: '#172a1c', muted: '#45604b' },
  { bg: '#fffdf5', text: '#2b2b2b', muted: '#777067' },
];
const DARK: Array<Omit<Palette, 'accent' | 'onAccent' | 'dark'>> = [
  { bg: '#1b2a3a', text: '#f4f4f2', muted: '#c9d2dc' },
  { bg: '#141414', text: '#f6f2e8', muted: '#cfc8b8' },
  { bg: '#1f3a2e', text: '#f2f6f0', muted: '#c6d8cc' },
  { bg: '#3a1e2a', text: '#fbf1f4', muted: '#e0c6cf' },
];
const ACCENTS = ['#b8322a', '#1f66a8', '#0d7766', '#7b3f9e', '#c4571a', '#2c3e50', '#9c7a1c', '#006d8f', '#8a1c3c'];
const DARK_ACCENTS = ['#e0b040', '#5fc9c0', '#f39c4a', '#9cc4ff'];
const CJK = ['山', '光', '川', '木', '明', '風', '森', '星', '海', '新'];
const TAGLINES = [
  'Engineering the everyday',
  'Since 1987',
  'Trusted advisors',
  'Design that works',
  'Moving ideas forward',
  'Quality you can measure',
  'Smart logistics for a busy world',
  'Clarity in every number',
];

function pickFace(r: Rng, faces: Face[], want: (f: Face) => boolean): Face {
  const fit = faces.filter(want);
  return r.pick(fit.length ? fit : faces);
}

export function makeDesign(r: Rng, faces: Face[], person: Person): Design {
  const layout = r.weighted<Layout>([
    ['centred', 3],
    ['left', 3],
    ['right', 2],
    ['two-column', 3],
    ['band', 2],
    ['split', 2],
    ['vertical', 2],
  ]);
  const dark = layout !== 'band' && layout !== 'split' && r.chance(0.14);
  const base = r.pick(dark ? DARK : LIGHT);
  const accent = r.pick(dark ? DARK_ACCENTS : ACCENTS);
  const palette: Palette = { ...base, accent, onAccent: '#ffffff', dark };
  // Type families: one body style, names often bolder; a light or condensed body now and then.
  const bodyStyle = r.weighted<Face['style']>([
    ['sans', 4],
    ['serif', 3],
    ['condensed', 2],
    ['light', 1],
    ['geometric', 1],
    ['mono', 0.5],
  ]);
  const body = pickFace(r, faces, (f) => f.style === bodyStyle && !f.bold && !f.italic);
  const name = r.chance(0.65)
    ? pickFace(r, faces, (f) => f.bold && (f.style === bodyStyle || r.chance(0.3)))
    : pickFace(r, faces, (f) => !f.italic && f.style !== 'mono');
  const title = r.chance(0.2)
    ? pickFace(r, faces, (f) => !!f.italic)
    : r.chance(0.6)
      ? body
      : pickFace(r, faces, (f) => !f.bold && f.style !== 'mono');
  const company = r.chance(0.5) ? name : pickFace(r, faces, (f) => f.bold || f.style === 'geometric');
  const label = r.chance(0.5) ? body : pickFace(r, faces, (f) => f.bold && f.style !== 'mono');
  const vertical = layout === 'vertical';
  const [width, height] = vertical
    ? [r.int(560, 640), r.int(960, 1040)]
    : r.pick([
        [1050, 600],
        [1004, 650],
        [1080, 620],
      ]);
  const logo = r.chance(0.78)
    ? r.pick<LogoKind>([
        'ring-monogram',
        'disc-monogram',
        'bars',
        'chevrons',
        'diamond',
        'peaks',
        'leaf',
        'cjk',
        'grid',
        'hexagon',
        'swoosh',
      ])
    : null;
  const companyCaps = r.chance(0.3);
  return {
    layout,
    width,
    height,
    palette,
    faces: { name, title, company, body, label },
    sizes: {
      name: r.float(0.068, 0.095),
      title: r.float(0.042, 0.055),
      company: r.float(0.05, 0.075),
      body: r.float(0.036, 0.047),
    },
    companyCaps,
    companySpacing: companyCaps && r.chance(0.5) ? r.float(0.08, 0.2) : 0,
    logo,
    logoPlace: r.weighted<LogoPlace>([
      ['beside', 5],
      ['above', 2],
      ['corner', 2],
    ]),
    cjkGlyph: r.pick(CJK),
    phoneLabels: r.weighted<PhoneLabels>([
      ['letter', 3],
      ['word', 3],
      ['colon', 2],
      ['none', 1],
      ['icon', 1.5],
    ]),
    emailLabel: r.weighted([
      ['', 5],
      ['E ', 1],
      ['E: ', 1],
      ['Email: ', 1],
      ['e-mail ', 0.5],
    ] as const),
    urlLabel: r.weighted([
      ['', 6],
      ['W ', 1],
      ['Web: ', 1],
    ] as const),
    icons: r.chance(0.15),
    phonesOnOneLine: person.phones.length > 1 && !vertical && r.chance(0.35),
    addressOnOneLine: !vertical && r.chance(0.3),
    contactOrder: r.weighted([
      ['phones-first', 4],
      ['address-first', 2],
      ['email-first', 2],
    ] as const),
    nameTitleOneLine: !vertical && r.chance(0.06),
    decoration: r.weighted<Decoration>([
      ['none', 4],
      ['rule', 2],
      ['stripe', 2],
      ['corner', 1],
      ['watermark', 1],
      ['dots', 1],
      ['bottom-bar', 1],
    ]),
    tagline: r.chance(0.15) ? r.pick(TAGLINES) : null,
    qr: (layout === 'left' || layout === 'band') && r.chance(0.2),
    addressLeft: r.chance(0.4),
  };
}
