/**
 * Renders synthetic business cards with known truth into fixtures/cards/ (JPEG + truth.json).
 *
 *   npx tsx scripts/generate-cards.ts [--count 30] [--seed 3] [--out fixtures/cards]
 *
 * Deterministic: the same seed, count and fonts give byte-identical files. Needs the fonts below
 * (Debian: fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-noto-core); the images are
 * committed, so tests and CI never render.
 * Varies layout (centred, left-aligned, two columns, company on a coloured band, logo-only company),
 * country (US, UK, German, Korean romanized), fonts and sizes, and phone kinds (mobile, office,
 * direct, fax; sometimes the fax first, sometimes two numbers on one line); every third card is
 * made to look photographed (scaled down, turned by up to 1.4°, on a grey background, JPEG q70).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { PhoneKind } from '../src/domain/card-fields.js';
import { seededRandom } from '../src/lib/seeded-random.js';

const FONT_FILES: Record<string, string> = {
  'DejaVu Sans': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  'DejaVu Sans Bold': '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  'DejaVu Serif': '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
  'DejaVu Sans Condensed': '/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf',
  'Liberation Sans': '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  'Liberation Sans Bold': '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  'Liberation Serif': '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf',
  'Liberation Sans Narrow': '/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf',
  'Noto Sans': '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  'Noto Sans Bold': '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf',
  'Noto Serif': '/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf',
};
/** Body font → the bold face used for names and company text. */
const FONT_PAIRS: Array<[string, string]> = [
  ['DejaVu Sans', 'DejaVu Sans Bold'],
  ['Liberation Sans', 'Liberation Sans Bold'],
  ['Noto Sans', 'Noto Sans Bold'],
  ['Liberation Serif', 'Liberation Sans Bold'],
  ['DejaVu Serif', 'DejaVu Sans Bold'],
  ['Noto Serif', 'Noto Sans Bold'],
  ['DejaVu Sans Condensed', 'DejaVu Sans Bold'],
  ['Liberation Sans Narrow', 'Liberation Sans Bold'],
];

type Country = 'US' | 'UK' | 'DE' | 'KR';
type Layout = 'centred' | 'left' | 'two-column' | 'band' | 'logo-only';
const COUNTRIES: Country[] = ['US', 'UK', 'DE', 'KR'];
const LAYOUTS: Layout[] = ['centred', 'left', 'two-column', 'band', 'logo-only'];

interface Phone {
  number: string;
  kind: PhoneKind;
  label: string;
}

interface Card {
  file: string;
  country: Country;
  layout: Layout;
  font: string;
  name: string;
  title: string;
  company: string;
  /** What is printed for the company: the name, or a wordmark, or nothing (a drawn logo). */
  companyPrinted: 'text' | 'wordmark' | 'none';
  email: string | null;
  url: string | null;
  addressLines: string[];
  phones: Phone[];
  /** Two numbers printed on one line. */
  phonesShareLine: boolean;
  labels: { email: string; url: string };
  upperName: boolean;
}

const PEOPLE: Record<Country, { first: string[]; last: string[] }> = {
  US: {
    first: ['James', 'Olivia', 'Michael', 'Emma', 'Daniel', 'Sophia', 'Ethan', 'Grace', 'Noah', 'Madison'],
    last: ['Carter', 'Bennett', 'Hughes', 'Foster', 'Reed', 'Morgan', 'Brooks', 'Hayes', 'Palmer', 'Sullivan'],
  },
  UK: {
    first: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Poppy', 'Jack', 'Freya', 'Alfie', 'Imogen'],
    last: ['Whitfield', 'Ashworth', 'Pemberton', 'Hargreaves', 'Fletcher', 'Thornton', 'Gallagher', 'Blackwood'],
  },
  DE: {
    first: ['Lukas', 'Anna', 'Jonas', 'Lena', 'Felix', 'Marie', 'Tobias', 'Sophie', 'Jan', 'Katrin'],
    last: [
      'Schneider',
      'Fischer',
      'Weber',
      'Becker',
      'Hoffmann',
      'Wagner',
      'Zimmermann',
      'Braun',
      'Krüger',
      'Hartmann',
    ],
  },
  KR: {
    first: ['Min-jun', 'Seo-yeon', 'Ji-hoon', 'Ha-eun', 'Do-yoon', 'Soo-ah', 'Hyun-woo', 'Ye-jin'],
    last: ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang', 'Yoon', 'Han'],
  },
};

const TITLES: Record<Country, string[]> = {
  US: [
    'Senior Software Engineer',
    'Product Manager',
    'Director of Sales',
    'Chief Technology Officer',
    'Data Scientist',
    'Account Executive',
    'UX Designer',
    'VP Engineering',
  ],
  UK: [
    'Managing Director',
    'Principal Consultant',
    'Marketing Manager',
    'Head of Operations',
    'Financial Analyst',
    'Solutions Architect',
  ],
  DE: [
    'Geschäftsführer',
    'Vertriebsleiterin',
    'Softwareentwickler',
    'Projektleiter',
    'Senior Beraterin',
    'Leiter Einkauf',
  ],
  KR: [
    'Senior Manager',
    'Research Engineer',
    'Team Lead, Cloud Platform',
    'Solutions Architect',
    'Marketing Director',
    'Sales Representative',
  ],
};

/** name, domain; a logo-only card prints no company text and its truth is the domain's name. */
const COMPANIES: Record<Country, Array<[string, string]>> = {
  US: [
    ['Northwind Traders', 'northwindtraders.com'],
    ['Bluefin Analytics Inc.', 'bluefin.io'],
    ['Harbor & Pine LLC', 'harborpine.com'],
    ['Redwood Systems', 'redwoodsystems.com'],
  ],
  UK: [
    ['Ashford Partners Ltd', 'ashfordpartners.co.uk'],
    ['Thames Valley Logistics plc', 'tvlogistics.co.uk'],
    ['Kestrel Digital', 'kestreldigital.co.uk'],
  ],
  DE: [
    ['Kessler & Partner GmbH', 'kessler-partner.de'],
    ['Nordlicht Software AG', 'nordlicht-software.de'],
    ['Brandt Maschinenbau GmbH', 'brandt-maschinenbau.de'],
  ],
  KR: [
    ['Hanbit Networks', 'hanbitnetworks.co.kr'],
    ['Daeyang Electronics Co., Ltd.', 'daeyang.co.kr'],
    ['Seorin Bio', 'seorinbio.com'],
  ],
};
const LOGO_ONLY: Record<Country, Array<[string, string]>> = {
  US: [
    ['Fabrikam', 'fabrikam.com'],
    ['Lumora', 'lumora.io'],
  ],
  UK: [
    ['Corvid', 'corvid.co.uk'],
    ['Halden', 'halden.com'],
  ],
  DE: [
    ['Vantix', 'vantix.de'],
    ['Quellwerk', 'quellwerk.de'],
  ],
  KR: [
    ['Mirae', 'mirae.co.kr'],
    ['Sejin', 'sejin.com'],
  ],
};

function pick<T>(r: () => number, list: T[]): T {
  return list[Math.floor(r() * list.length)];
}
function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 10);
  return s;
}

function address(r: () => number, c: Country): string[] {
  const n = 1 + Math.floor(r() * 480);
  switch (c) {
    case 'US': {
      const [city, st, zip] = pick(r, [
        ['San Francisco', 'CA', '94107'],
        ['Austin', 'TX', '78701'],
        ['Seattle', 'WA', '98104'],
        ['Boston', 'MA', '02110'],
      ]);
      const street = `${n} ${pick(r, ['Market', 'Congress', 'Pine', 'Summer', 'Harrison'])} ${pick(r, ['Street', 'Ave', 'Blvd'])}`;
      const suite = r() < 0.5 ? `, Suite ${100 + Math.floor(r() * 800)}` : '';
      return r() < 0.5
        ? [`${street}${suite}`, `${city}, ${st} ${zip}`]
        : [`${street}${suite}`, `${city}, ${st} ${zip}`, 'USA'];
    }
    case 'UK': {
      const [city, pc] = pick(r, [
        ['London', 'EC2A 4NE'],
        ['Manchester', 'M1 3HU'],
        ['Bristol', 'BS1 6QH'],
        ['Leeds', 'LS1 4AP'],
      ]);
      const street = `${n} ${pick(r, ['Bishopsgate', 'Deansgate', 'Victoria', 'Castle'])} ${pick(r, ['Street', 'Road', 'Lane'])}`;
      return r() < 0.5 ? [street, `${city} ${pc}`, 'United Kingdom'] : [street, `${city} ${pc}`];
    }
    case 'DE': {
      const [city, zip] = pick(r, [
        ['Berlin', '10115'],
        ['München', '80331'],
        ['Hamburg', '20095'],
        ['Köln', '50667'],
      ]);
      const street = `${pick(r, ['Friedrichstraße', 'Lindenallee', 'Hauptstraße', 'Am Sandtorkai', 'Gartenweg'])} ${1 + Math.floor(r() * 120)}`;
      return r() < 0.5 ? [street, `${zip} ${city}`, 'Germany'] : [street, `${zip} ${city}`];
    }
    case 'KR': {
      const [gu, ro] = pick(r, [
        ['Gangnam-gu', 'Teheran-ro'],
        ['Jongno-gu', 'Sejong-daero'],
        ['Mapo-gu', 'World Cup buk-ro'],
        ['Seocho-gu', 'Gangnam-daero'],
      ]);
      const floor = `${2 + Math.floor(r() * 30)}F`;
      const zip = `0${digits(r, 4)}`;
      return r() < 0.5
        ? [`${floor}, ${n} ${ro}, ${gu}, Seoul ${zip}, Korea`]
        : [`${floor}, ${n} ${ro}, ${gu}`, `Seoul ${zip}, Korea`];
    }
  }
}

/** A narrow column cannot hold a one-line Korean address: break it before the city. */
function fitAddress(lines: string[], layout: Layout): string[] {
  if (layout !== 'two-column' || lines.length !== 1) return lines;
  const parts = lines[0].split(', ');
  return [parts.slice(0, -2).join(', '), parts.slice(-2).join(', ')];
}

function phoneNumber(r: () => number, c: Country, kind: PhoneKind, style: number): string {
  switch (c) {
    case 'US': {
      const area = pick(r, ['415', '512', '206', '617']);
      const line = `555-01${digits(r, 2)}`;
      return style % 2 ? `+1 (${area}) ${line}` : `(${area}) ${line}`;
    }
    case 'UK':
      return kind === 'mobile' ? `+44 7700 900${digits(r, 3)}` : `+44 20 7946 0${digits(r, 3)}`;
    case 'DE':
      return kind === 'mobile'
        ? `+49 ${pick(r, ['151', '160', '172'])} ${digits(r, 8)}`
        : `+49 ${pick(r, ['30', '89', '40'])} ${digits(r, 6)}-${digits(r, 1)}`;
    case 'KR':
      return kind === 'mobile'
        ? style % 2
          ? `(+82 10) ${digits(r, 4)} ${digits(r, 4)}`
          : `010-${digits(r, 4)}-${digits(r, 4)}`
        : `+82 2 ${digits(r, 4)} ${digits(r, 4)}`;
  }
}

const LABELS: Record<Country, Record<Exclude<PhoneKind, 'other'>, string[]>> = {
  US: { mobile: ['Mobile', 'Cell', 'M'], office: ['Office', 'Tel', 'O'], direct: ['Direct', 'D'], fax: ['Fax', 'F'] },
  UK: { mobile: ['Mobile', 'M'], office: ['Tel', 'T'], direct: ['Direct', 'DD'], fax: ['Fax', 'F'] },
  DE: { mobile: ['Mobil', 'Mobil:'], office: ['Tel.', 'Telefon'], direct: ['Durchwahl'], fax: ['Fax', 'Fax:'] },
  KR: { mobile: ['Cell', 'Mobile'], office: ['Tel', 'T'], direct: ['Direct'], fax: ['Fax', 'F'] },
};

function planCard(i: number, seed: number): Card {
  const r = seededRandom(seed * 1000 + i);
  const country = COUNTRIES[i % COUNTRIES.length];
  const layout = LAYOUTS[i % LAYOUTS.length];
  const [font] = FONT_PAIRS[i % FONT_PAIRS.length];
  const first = pick(r, PEOPLE[country].first);
  const last = pick(r, PEOPLE[country].last);
  const [company, domain] = pick(r, layout === 'logo-only' ? LOGO_ONLY[country] : COMPANIES[country]);
  const ascii = (s: string) =>
    s
      .toLowerCase()
      .replace(/ü/g, 'ue')
      .replace(/ö/g, 'oe')
      .replace(/ä/g, 'ae')
      .replace(/[^a-z-]/g, '');
  const local = pick(r, [`${ascii(first)}.${ascii(last)}`, ascii(first), `${ascii(first)[0]}${ascii(last)}`]).replace(
    /-/g,
    '',
  );
  const mailDomain = domain;
  const email = i % 11 === 7 ? null : `${local}@${mailDomain}`;
  const urlStyle = Math.floor(r() * 4);
  const url = i % 9 === 4 ? null : [`www.${domain}`, `https://www.${domain}`, `https://${domain}`, domain][urlStyle];
  // Phone kinds: vary count and order; every few cards print the fax first.
  const kindSets: PhoneKind[][] = [
    ['mobile'],
    ['office', 'fax'],
    ['fax', 'mobile'],
    ['mobile', 'office'],
    ['direct', 'mobile', 'fax'],
    ['office', 'direct'],
    ['fax', 'office', 'mobile'],
  ];
  const kinds = kindSets[(i * 3) % kindSets.length];
  const phones = kinds.map((kind, k) => ({
    kind,
    number: phoneNumber(r, country, kind, i + k),
    label: pick(r, LABELS[country][kind as Exclude<PhoneKind, 'other'>]),
  }));
  return {
    file: `card-${String(i + 1).padStart(2, '0')}-${country.toLowerCase()}-${layout}.jpg`,
    country,
    layout,
    font,
    name: `${first} ${last}`,
    title: pick(r, TITLES[country]),
    company,
    companyPrinted: layout === 'logo-only' ? (i % 2 ? 'wordmark' : 'none') : 'text',
    email,
    url,
    addressLines: i % 13 === 11 ? [] : fitAddress(address(r, country), layout),
    phones,
    phonesShareLine: phones.length >= 2 && i % 4 === 1 && layout !== 'two-column' && layout !== 'band',
    labels: { email: pick(r, ['', '', 'E: ', 'Email: ']), url: pick(r, ['', '', 'W: ']) },
    upperName: i % 10 === 3,
  };
}

type TextAlign = 'left' | 'center' | 'right';

const W = 1050;
const H = 600;
const INKS = ['#1a1a1a', '#222a35', '#2b2b2b', '#1d2b44'];
const PAPERS = ['#ffffff', '#fbfaf6', '#f7f8fa', '#fffdf8'];
const BANDS = ['#123a6b', '#0f5c5c', '#6b1d2a', '#25432b', '#3b2f63'];

function contactLines(card: Card): string[] {
  const lines: string[] = [];
  const phoneText = (p: Phone) => `${p.label} ${p.number}`;
  if (card.phonesShareLine) {
    lines.push(`${phoneText(card.phones[0])}    ${phoneText(card.phones[1])}`);
    for (const p of card.phones.slice(2)) lines.push(phoneText(p));
  } else {
    for (const p of card.phones) lines.push(phoneText(p));
  }
  if (card.email) lines.push(`${card.labels.email}${card.email}`);
  if (card.url) lines.push(`${card.labels.url}${card.url}`);
  return lines;
}

function drawLogo(ctx: SKRSContext2D, x: number, y: number, size: number, color: string, seed: number): void {
  ctx.fillStyle = color;
  ctx.beginPath();
  if (seed % 3 === 0) {
    ctx.arc(x + size / 2, y + size / 2, size / 2, 0, Math.PI * 2);
  } else if (seed % 3 === 1) {
    ctx.moveTo(x + size / 2, y);
    ctx.lineTo(x + size, y + size);
    ctx.lineTo(x, y + size);
  } else {
    ctx.rect(x, y, size, size);
  }
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.arc(x + size / 2, y + size * 0.62, size / 5, 0, Math.PI * 2);
  ctx.fill();
}

function render(card: Card, i: number): Buffer {
  const r = seededRandom(7919 * (i + 1));
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  const ink = INKS[i % INKS.length];
  const accent = BANDS[i % BANDS.length];
  ctx.fillStyle = PAPERS[i % PAPERS.length];
  ctx.fillRect(0, 0, W, H);
  const pair = FONT_PAIRS.find(([body]) => body === card.font) as [string, string];
  const [body, bold] = pair;
  const nameSize = 40 + Math.floor(r() * 10);
  const titleSize = 24 + Math.floor(r() * 5);
  const textSize = 21 + Math.floor(r() * 4);
  const name = card.upperName ? card.name.toUpperCase() : card.name;
  const text = (
    s: string,
    x: number,
    y: number,
    size: number,
    font: string,
    align: TextAlign = 'left',
    color = ink,
  ) => {
    ctx.font = `${size}px "${font}"`;
    ctx.fillStyle = color;
    ctx.textAlign = align;
    ctx.textBaseline = 'alphabetic';
    const width = ctx.measureText(s).width;
    const left = align === 'center' ? x - width / 2 : align === 'right' ? x - width : x;
    if (left < 20 || left + width > W - 20) throw new Error(`${card.file}: "${s}" does not fit on the card`);
    ctx.fillText(s, x, y);
  };
  const block = (lines: string[], x: number, y: number, size: number, align: TextAlign = 'left') => {
    let yy = y;
    for (const l of lines) {
      text(l, x, yy, size, body, align);
      yy += Math.round(size * 1.45);
    }
    return yy;
  };
  const contacts = contactLines(card);
  switch (card.layout) {
    case 'centred': {
      text(card.company, W / 2, 110, 34, bold, 'center', accent);
      text(name, W / 2, 215, nameSize, bold, 'center');
      text(card.title, W / 2, 262, titleSize, body, 'center');
      let y = block(card.addressLines, W / 2, 340, textSize, 'center');
      y = card.addressLines.length ? y + 6 : 340;
      block(contacts, W / 2, y, textSize, 'center');
      break;
    }
    case 'left': {
      text(card.company, 70, 95, 32, bold, 'left', accent);
      ctx.fillStyle = accent;
      ctx.fillRect(70, 112, 120, 5);
      text(name, 70, 195, nameSize, bold);
      text(card.title, 70, 240, titleSize, body);
      const y = block(contacts, 70, 320, textSize);
      block(card.addressLines, 70, y + 8, textSize);
      break;
    }
    case 'two-column': {
      text(name, 60, 200, nameSize, bold);
      text(card.title, 60, 248, titleSize, body);
      text(card.company, 60, 300, 26, bold, 'left', accent);
      ctx.fillStyle = accent;
      ctx.fillRect(545, 90, 4, 420);
      const y = block(contacts, 580, 130, textSize);
      block(card.addressLines, 580, y + 10, textSize);
      break;
    }
    case 'band': {
      ctx.fillStyle = accent;
      ctx.fillRect(0, 0, W, 130);
      text(card.company, 60, 82, 38, bold, 'left', '#ffffff');
      text(name, 60, 220, nameSize, bold);
      text(card.title, 60, 266, titleSize, body);
      ctx.font = `${textSize}px "${body}"`;
      const sideBySide =
        card.addressLines.length > 0 &&
        card.addressLines.every((l) => ctx.measureText(l).width < 480) &&
        contacts.every((l) => ctx.measureText(l).width < W - 640);
      const y = block(card.addressLines, 60, 340, textSize);
      block(contacts, sideBySide ? 600 : 60, sideBySide ? 340 : y + 8, textSize);
      break;
    }
    case 'logo-only': {
      const centred = i % 2 === 0;
      if (card.companyPrinted === 'wordmark') {
        text(card.company.toLowerCase(), centred ? W / 2 : 70, 115, 58, bold, centred ? 'center' : 'left', accent);
      } else {
        drawLogo(ctx, centred ? W / 2 - 45 : 70, 40, 90, accent, i);
      }
      const x = centred ? W / 2 : 70;
      const align: TextAlign = centred ? 'center' : 'left';
      text(name, x, 220, nameSize, bold, align);
      text(card.title, x, 266, titleSize, body, align);
      const y = block(card.addressLines, x, 340, textSize, align);
      block(contacts, x, card.addressLines.length ? y + 6 : 340, textSize, align);
      break;
    }
  }
  if (!photographed(i)) return canvas.toBuffer('image/jpeg', 82);
  // Every third card looks photographed: smaller, slightly turned, on a grey table, lower JPEG quality.
  const scale = 0.72 + r() * 0.12;
  const angle = ((r() < 0.5 ? -1 : 1) * (0.4 + r() * 1.0) * Math.PI) / 180;
  const photo = createCanvas(Math.round(W * scale) + 40, Math.round(H * scale) + 40);
  const pctx = photo.getContext('2d');
  pctx.fillStyle = '#8a8d91';
  pctx.fillRect(0, 0, photo.width, photo.height);
  pctx.translate(photo.width / 2, photo.height / 2);
  pctx.rotate(angle);
  pctx.imageSmoothingEnabled = true;
  pctx.drawImage(canvas, (-W * scale) / 2, (-H * scale) / 2, W * scale, H * scale);
  return photo.toBuffer('image/jpeg', 70);
}

function photographed(i: number): boolean {
  return i % 3 === 2;
}

function truthOf(card: Card, i: number) {
  const callable = card.phones.find((p) => p.kind !== 'fax');
  return {
    file: card.file,
    name: card.upperName ? card.name.toUpperCase() : card.name,
    job_title: card.title,
    company: card.company,
    ...(card.companyPrinted !== 'text'
      ? {
          company_note:
            card.companyPrinted === 'wordmark'
              ? 'Printed only as a lower-case logo wordmark.'
              : 'Not printed: a drawn logo only; the mail/web domain names it.',
        }
      : {}),
    email: card.email,
    phone: callable?.number ?? null,
    phone_label: callable?.label ?? null,
    address: card.addressLines.length ? card.addressLines.join(', ') : null,
    url: card.url,
    phones: card.phones.map((p) => ({ number: p.number, kind: p.kind })),
    layout: card.layout,
    photographed: photographed(i),
    country: card.country,
    font: card.font,
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const count = Number(arg('--count', '30'));
  const seed = Number(arg('--seed', '3'));
  const out = resolve(arg('--out', join(import.meta.dirname, '..', 'fixtures', 'cards')));
  for (const [family, path] of Object.entries(FONT_FILES)) {
    if (!existsSync(path))
      throw new Error(
        `font ${family} missing at ${path} (apt-get install fonts-dejavu-extra fonts-liberation fonts-noto-core)`,
      );
    GlobalFonts.registerFromPath(path, family);
  }
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (/^card-.*\.jpg$/.test(f)) rmSync(join(out, f));
  const truth = [];
  for (let i = 0; i < count; i++) {
    const card = planCard(i, seed);
    const jpeg = render(card, i);
    if (jpeg.length > 100 * 1024) throw new Error(`${card.file} is ${jpeg.length} bytes (limit 100 KB)`);
    writeFileSync(join(out, card.file), jpeg);
    truth.push(truthOf(card, i));
  }
  writeFileSync(join(out, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  console.log(`wrote ${count} cards and truth.json to ${out}`);
}

main();
