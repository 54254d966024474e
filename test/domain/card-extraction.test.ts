import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Block } from '@aws-sdk/client-textract';
import { describe, expect, it, vi } from 'vitest';
import { linesOfBlocks } from '../../src/adapters/textract/lines.js';
import {
  capitalCountry,
  countryLineCut,
  isWholeAddress,
  joinSplitPostcode,
  ninesInPostcodes,
  onesInPostcodes,
  repairAddressSlips,
  repairCanadianPostcode,
  repairCityName,
  repairGermanAddress,
  restoreAccents,
  withoutDigitAfterTown,
} from '../../src/domain/card-extraction/address.js';
import { extractCardFields, extractCardFieldsAsync, tidyCompany } from '../../src/domain/card-extraction/index.js';
import { fieldMatches } from '../../src/domain/card-extraction/scoring.js';
import { normaliseWebText } from '../../src/domain/card-extraction/web.js';
import type { OcrBox, OcrLine } from '../../src/ports/ocr.js';
import { sharedPath } from '../support/shared.js';
import { cardLines, centred, type PrintedLine } from './card-extraction-lines.js';

/** The layout of the real sample cards: logo, name, title, address, phone + email, URL — centred. */
function awsStyleCard(overrides: { logo?: string; contact?: string; url?: string } = {}): PrintedLine[] {
  const lines: Array<[string, number, number]> = [
    [overrides.logo ?? 'aws', 0.12, 0.1],
    ['Edy Kim', 0.4, 0.055],
    ['Specialist Solutions Architect', 0.5, 0.05],
    ['12 Floor GS Tower, 508 Nonhyeon-ro, Gangnam-gu, Seoul 06141, Korea', 0.67, 0.04],
    [overrides.contact ?? 'Cell (+82 10) 231 5467 edy@amazon.com', 0.75, 0.045],
    [overrides.url ?? 'https://aws.amazon.com/ko', 0.83, 0.045],
  ];
  return lines.map(([text, y, h]) => ({ text, y, h, x: centred(text, h) }));
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('extractCardFields', () => {
  it('reads every field of a centred card (the real samples’ layout)', () => {
    const fields = extractCardFields(cardLines(awsStyleCard()));
    expect(fields).toEqual({
      name: 'Edy Kim',
      job_title: 'Specialist Solutions Architect',
      company: 'aws',
      email: 'edy@amazon.com',
      phone_number: '(+82 10) 231 5467',
      phones: [{ number: '(+82 10) 231 5467', kind: 'mobile' }],
      addr: '12 Floor GS Tower, 508 Nonhyeon-ro, Gangnam-gu, Seoul 06141, Korea',
      url: 'https://aws.amazon.com/ko',
    });
  });

  it('does not depend on the order of the LINE blocks', () => {
    const lines = awsStyleCard();
    const expected = extractCardFields(cardLines(lines));
    for (const seed of [1, 2, 3]) {
      expect(extractCardFields(cardLines(shuffled(lines, seed)))).toEqual(expected);
    }
  });

  it('names the company from the web address when the logo was misread ("dws" for the aws wordmark)', () => {
    expect(extractCardFields(cardLines(awsStyleCard({ logo: 'dws' }))).company).toBe('AWS');
  });

  it('falls back to the mail domain for the company when nothing printed names it', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Grace Morgan', x: 0.35, y: 0.3, h: 0.07 },
        { text: 'Product Manager', x: 0.38, y: 0.4 },
        { text: 'gmorgan@fabrikam.com', x: 0.35, y: 0.7 },
      ]),
    );
    expect(fields.company).toBe('Fabrikam');
    expect(fields.name).toBe('Grace Morgan');
  });

  it('keeps free-mail domains out of the company', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Grace Morgan', x: 0.35, y: 0.3, h: 0.07 },
        { text: 'grace.morgan@gmail.com', x: 0.35, y: 0.7 },
      ]),
    );
    expect(fields.company).toBeNull();
    expect(fields.email).toBe('grace.morgan@gmail.com');
  });

  it('splits a LINE that spans two columns and reads the left column first', () => {
    // Textract joins text on one baseline across the gutter; phones live in the right column.
    const lines: PrintedLine[] = [
      { text: 'Fax +44 20 7946 0018', x: 0.55, y: 0.15 },
      { text: 'Imogen Thornton', x: 0.06, y: 0.22, h: 0.06, more: [{ text: 'Tel +44 20 7946 0958', x: 0.55 }] },
      { text: 'Financial Analyst', x: 0.06, y: 0.31, more: [{ text: 'imogen.thornton@tvlogistics.co.uk', x: 0.55 }] },
      { text: 'Thames Valley Logistics plc', x: 0.06, y: 0.4, more: [{ text: '98 Bishopsgate Street', x: 0.55 }] },
      { text: 'Leeds LS1 4AP', x: 0.55, y: 0.47 },
    ];
    const fields = extractCardFields(cardLines(lines));
    expect(fields.name).toBe('Imogen Thornton');
    expect(fields.job_title).toBe('Financial Analyst');
    expect(fields.company).toBe('Thames Valley Logistics plc');
    expect(fields.addr).toBe('98 Bishopsgate Street, Leeds LS1 4AP');
    expect(fields.phones).toEqual([
      { number: '+44 20 7946 0018', kind: 'fax' },
      { number: '+44 20 7946 0958', kind: 'office' },
    ]);
  });

  it('skips fax numbers for phone_number and labels every number with its kind', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'James Carter', x: 0.06, y: 0.2, h: 0.07 },
        { text: 'F +1 (415) 555-0100', x: 0.06, y: 0.5 },
        { text: 'D +1 (415) 555-0177    M +1 (415) 555-0132', x: 0.06, y: 0.56 },
        { text: 'Office 415.555.0199', x: 0.06, y: 0.62 },
        { text: '(512) 555-0145', x: 0.06, y: 0.68 },
      ]),
    );
    expect(fields.phone_number).toBe('+1 (415) 555-0177');
    expect(fields.phones).toEqual([
      { number: '+1 (415) 555-0100', kind: 'fax' },
      { number: '+1 (415) 555-0177', kind: 'direct' },
      { number: '+1 (415) 555-0132', kind: 'mobile' },
      { number: '415.555.0199', kind: 'office' },
      { number: '(512) 555-0145', kind: 'other' },
    ]);
  });

  it('takes the kind from a bare label printed in its own column', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Mobile', x: 0.06, y: 0.5, more: [{ text: '+44 7700 900123', x: 0.3 }] },
        { text: 'Fax', x: 0.06, y: 0.56, more: [{ text: '+44 20 7946 0001', x: 0.3 }] },
      ]),
    );
    expect(fields.phones).toEqual([
      { number: '+44 7700 900123', kind: 'mobile' },
      { number: '+44 20 7946 0001', kind: 'fax' },
    ]);
  });

  it('returns only a fax as phones, with phone_number null', () => {
    const fields = extractCardFields(cardLines([{ text: 'Fax: +49 30 123456-9', x: 0.1, y: 0.5 }]));
    expect(fields.phone_number).toBeNull();
    expect(fields.phones).toEqual([{ number: '+49 30 123456-9', kind: 'fax' }]);
  });

  it('repairs O/l read for 0/1 inside a phone number', () => {
    const fields = extractCardFields(cardLines([{ text: 'T +1 (415) 555-O1l2', x: 0.1, y: 0.5 }]));
    expect(fields.phone_number).toBe('+1 (415) 555-0112');
  });

  it('does not take dates for phone numbers', () => {
    const fields = extractCardFields(cardLines([{ text: 'Since 08/14/2022 and 2021-03-04', x: 0.1, y: 0.5 }]));
    expect(fields.phones).toEqual([]);
  });

  it('does not take a ZIP+4 code for a phone number', () => {
    const fields = extractCardFields(
      cardLines([
        { text: '1600 Amphitheatre Parkway', x: 0.1, y: 0.5 },
        { text: 'Mountain View, CA 94043-1351', x: 0.1, y: 0.56 },
      ]),
    );
    expect(fields.phones).toEqual([]);
    expect(fields.addr).toBe('1600 Amphitheatre Parkway, Mountain View, CA 94043-1351');
  });

  it('joins a multi-line German address with ", " and repairs ß and umlaut cities the OCR cannot spell', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Anna Weber', x: 0.06, y: 0.2, h: 0.07 },
        { text: 'Geschaftsflhrer', x: 0.06, y: 0.3 },
        { text: 'HauptstraBe 12', x: 0.06, y: 0.6 },
        { text: '80331 Miinchen', x: 0.06, y: 0.66 },
        { text: 'Germany', x: 0.06, y: 0.72 },
      ]),
    );
    expect(fields.addr).toBe('Hauptstraße 12, 80331 München, Germany');
    expect(fields.job_title).toBe('Geschäftsführer');
  });

  it('puts back the umlauts and accents the OCR dropped from a street or town by spelling ("Lindenstriiße", "Miinster")', () => {
    expect(restoreAccents('Birkenhiigelweg 18')).toBe('Birkenhügelweg 18');
    expect(restoreAccents('Schénbergstraße 4')).toBe('Schönbergstraße 4');
    expect(restoreAccents('Calle de la Constitucion 12, 28001 Madrid')).toBe(
      'Calle de la Constitución 12, 28001 Madrid',
    );
    // Plain spellings that are right as they are; a word outside a German street's one word; the town after a number.
    expect(restoreAccents('Schlossstraße 106')).toBe('Schlossstraße 106');
    expect(restoreAccents('Hawaii Street 4')).toBe('Hawaii Street 4');
    expect(restoreAccents('Calle Larios 124, 29005 Union')).toBe('Calle Larios 124, 29005 Union');
    // A town spelled with an umlaut in the gazetteer, misread after its postcode.
    expect(repairGermanAddress('48143 Miinster')).toBe('48143 Münster');
  });

  it('repairs a town misread next to its postcode against the gazetteer, never a known town', () => {
    expect(repairCityName('45202 Cmcinnati')).toBe('45202 Cincinnati');
    expect(repairCityName('90001 Los Angeles')).toBe('90001 Los Angeles');
    expect(repairCityName('59000 Lille')).toBe('59000 Lille');
    expect(repairCityName('69117 Heidelberg')).toBe('69117 Heidelberg');
    // A small town a letter short of a big one is no misreading of it (Montpelier, Vermont; Montpellier, France).
    expect(repairCityName('05602 Montpelier')).toBe('05602 Montpelier');
  });

  it('drops a pin read as one unsure digit before the house number ("9 111 rue Sainte-Catherine")', () => {
    const lines = cardLines([
      { text: 'Maria Santos', x: 0.1, y: 0.2, h: 0.07 },
      { text: '9 111 rue Sainte-Catherine', x: 0.1, y: 0.6 },
      { text: '33000 Bordeaux', x: 0.1, y: 0.66 },
      { text: 'France', x: 0.1, y: 0.72 },
    ]);
    lines[1].words[0].confidence = 41;
    expect(extractCardFields(lines).addr).toBe('111 rue Sainte-Catherine, 33000 Bordeaux, France');
    // Read with confidence, the digit is printed.
    lines[1].words[0].confidence = 95;
    expect(extractCardFields(lines).addr).not.toBe('111 rue Sainte-Catherine, 33000 Bordeaux, France');
  });

  it('gives no address whose last word ran into the phone label after it, read as nothing ("chu¥L0Obile +86")', () => {
    const lines = cardLines([
      { text: 'Nomvula Sithole', x: 0.1, y: 0.2, h: 0.07 },
      {
        text: 'Room 1701, 301 Renmin South Road, Wuhou District, Chengdu 610041, chu¥L0Obile +86 138 0755 5160',
        x: 0.05,
        y: 0.7,
      },
    ]);
    const word = lines[1].words.find((w) => w.text === 'chu¥L0Obile');
    if (word) word.confidence = 0;
    expect(extractCardFields(lines).addr).toBeNull();
  });

  it('restores the at-sign from the card’s own web domain ("edyamazon.com")', () => {
    const fields = extractCardFields(cardLines(awsStyleCard({ contact: 'Cell (+82 10) 231 5467 edyamazon.com' })));
    expect(fields.email).toBe('edy@amazon.com');
    expect(fields.url).toBe('https://aws.amazon.com/ko');
  });

  it('restores a dropped dot in the mail domain and reads © as @', () => {
    const dot = extractCardFields(cardLines([{ text: 'E: jane.doe@contosocom', x: 0.1, y: 0.6 }]));
    expect(dot.email).toBe('jane.doe@contoso.com');
    const copyright = extractCardFields(cardLines([{ text: 'jane.doe©contoso.com', x: 0.1, y: 0.6 }]));
    expect(copyright.email).toBe('jane.doe@contoso.com');
  });

  it('fixes tesseract’s capital slips in mail and web names but keeps all-caps printing', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Ibecker@Kkessler-partner.de', x: 0.1, y: 0.6 },
        { text: 'https://iwww.kessler-partner.de', x: 0.1, y: 0.66 },
      ]),
    );
    expect(fields.email).toBe('lbecker@kessler-partner.de');
    expect(fields.url).toBe('https://www.kessler-partner.de');
    const caps = extractCardFields(cardLines([{ text: 'WWW.CONTOSO.COM', x: 0.1, y: 0.66 }]));
    expect(caps.url).toBe('WWW.CONTOSO.COM');
  });

  it('reads an I in a mailbox as l when the person’s name spells it so', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Lena Zimmermann', x: 0.1, y: 0.2, h: 0.07 },
        { text: 'IZimmermann@kessler-partner.de', x: 0.1, y: 0.6 },
      ]),
    );
    expect(fields.email).toBe('lzimmermann@kessler-partner.de');
  });

  it('puts an umlaut back into a name when the mailbox spells it out', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Tobias Kruger', x: 0.1, y: 0.2, h: 0.07 },
        { text: 'tkrueger@nordlicht.de', x: 0.1, y: 0.6 },
      ]),
    );
    expect(fields.name).toBe('Tobias Krüger');
  });

  it('never invents: an address-less, mail-less card gives nulls, and a broken mailbox is dropped', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Lena Braun', x: 0.1, y: 0.2, h: 0.07 },
        { text: 'Projektleiterin', x: 0.1, y: 0.3 },
        { text: 'E: lenabraun', x: 0.1, y: 0.6 },
      ]),
    );
    expect(fields).toEqual({
      name: 'Lena Braun',
      job_title: 'Projektleiterin',
      company: null,
      email: null,
      phone_number: null,
      phones: [],
      addr: null,
      url: null,
    });
  });

  it('returns all nulls for no text at all', () => {
    expect(extractCardFields([])).toEqual({
      name: null,
      job_title: null,
      company: null,
      email: null,
      phone_number: null,
      phones: [],
      addr: null,
      url: null,
    });
  });

  it('prefers the larger, mailbox-matching line as the name over other capitalised lines', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Northwind Traders', x: 0.06, y: 0.1, h: 0.05 },
        { text: 'Madison Hayes', x: 0.06, y: 0.25, h: 0.07 },
        { text: 'Director of Sales', x: 0.06, y: 0.35 },
        { text: 'Golden Gate Plaza', x: 0.06, y: 0.5 },
        { text: 'mhayes@northwindtraders.com', x: 0.06, y: 0.7 },
      ]),
    );
    expect(fields.name).toBe('Madison Hayes');
    expect(fields.company).toBe('Northwind Traders');
    expect(fields.job_title).toBe('Director of Sales');
  });
});

describe('extractCardFieldsAsync (re-reading doubtful regions)', () => {
  const runTogether = () => cardLines(awsStyleCard({ contact: 'Cell (+82 10) 2315467 edy@amazon.com' }));
  const reRead =
    (text: string) =>
    async (region: OcrBox): Promise<OcrLine[]> =>
      cardLines([{ text, x: region.left, y: region.top + 0.01, h: 0.045 }]);

  it('replaces a run-together phone number with the re-read of its region', async () => {
    const refine = vi.fn(reRead('Cell (+82 10) 231 5467'));
    const fields = await extractCardFieldsAsync(runTogether(), { refine });
    expect(fields.phone_number).toBe('(+82 10) 231 5467');
    expect(refine).toHaveBeenCalled();
    const region = refine.mock.calls[0][0];
    // The region covers the phone words on the contact line, not the whole card.
    expect(region.top).toBeGreaterThan(0.6);
    expect(region.height).toBeLessThan(0.15);
  });

  it('keeps the first reading when the re-read is no better', async () => {
    const fields = await extractCardFieldsAsync(runTogether(), { refine: reRead('Cell (+8210) 2315467') });
    expect(fields.phone_number).toBe('(+82 10) 2315467');
  });

  it('does not call refine for a card that reads cleanly', async () => {
    const refine = vi.fn(reRead('unused'));
    const fields = await extractCardFieldsAsync(cardLines(awsStyleCard()), { refine });
    expect(refine).not.toHaveBeenCalled();
    expect(fields.phone_number).toBe('(+82 10) 231 5467');
  });

  it('re-reads the row right of a label whose value was lost, and keeps null over a broken re-read', async () => {
    const card = (contact: string) =>
      cardLines([
        { text: 'Isabel Pennington', x: 0.5, y: 0.3, h: 0.06 },
        { text: 'Copperleaf Systems Inc.', x: 0.1, y: 0.1, h: 0.05 },
        { text: contact, x: 0.5, y: 0.7, h: 0.04 },
      ]);
    const refine = vi.fn(reRead('Tel. 03-682 9-5298'));
    const fields = await extractCardFieldsAsync(card('Tel.'), { refine });
    // the region runs from the label to where the card's text ends on the right
    const region = refine.mock.calls[0][0];
    expect(region.left).toBeLessThan(0.5);
    expect(region.left + region.width).toBeGreaterThan(0.7);
    expect(fields.phone_number).toBe('03-6829-5298');
    const broken = await extractCardFieldsAsync(card('Tel.'), { refine: reRead('Tel. 090-9 96 4 3') });
    expect(broken.phone_number).toBeNull();
  });

  it('gives the synchronous result when no refine is passed', async () => {
    const lines = runTogether();
    expect(await extractCardFieldsAsync(lines)).toEqual(extractCardFields(lines));
  });
});

describe('accuracy match rules', () => {
  it('compares company case-insensitively and accepts an acronym for its spelled-out form', () => {
    expect(fieldMatches('company', 'AWS', 'aws')).toBe(true);
    expect(fieldMatches('company', 'AWS', 'Amazon Web Services')).toBe(true);
    expect(fieldMatches('company', 'AWS', 'Amazon')).toBe(false);
  });

  it('collapses whitespace but keeps case and punctuation for the other fields', () => {
    expect(fieldMatches('phone_number', '(+82 10) 231 5467', ' (+82 10)  231 5467 ')).toBe(true);
    expect(fieldMatches('phone_number', '(+82 10) 231 5467', '(+82 10) 2315467')).toBe(false);
    expect(fieldMatches('name', 'Edy Kim', 'EDY KIM')).toBe(false);
    expect(fieldMatches('email', 'edy@amazon.com', 'EDY@amazon.com')).toBe(true);
    expect(fieldMatches('addr', null, null)).toBe(true);
    expect(fieldMatches('addr', null, 'Seoul')).toBe(false);
  });
});

describe('extractCardFields on one-line name and title', () => {
  it('splits "Name, Title" printed on one line', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Daniel Reed, Chief Technology Officer', x: 0.06, y: 0.3, h: 0.05 },
        { text: 'daniel@redwoodsystems.com', x: 0.06, y: 0.7 },
      ]),
    );
    expect(fields.name).toBe('Daniel Reed');
    expect(fields.job_title).toBe('Chief Technology Officer');
  });

  it('keeps a degree printed after the name', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Sophia Brooks, PhD', x: 0.06, y: 0.3, h: 0.06 },
        { text: 'Data Scientist', x: 0.06, y: 0.4 },
      ]),
    );
    expect(fields.name).toBe('Sophia Brooks, PhD');
    expect(fields.job_title).toBe('Data Scientist');
  });
});

describe('web addresses and company lines read with slips', () => {
  it('reads a lone www and a host whose dots were read as spaces as one web address', () => {
    expect(normaliseWebText('www lindenhof co.uk')).toBe('www.lindenhof.co.uk');
    expect(normaliseWebText('https //boreal my')).toBe('https://boreal.my');
    expect(normaliseWebText('visit www now')).toBe('visit www now');
  });

  it('takes no web address whose host has no top-level domain', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Isabel Pennington', x: 0.1, y: 0.3, h: 0.06 },
        { text: 'Web: www.copperiealsystems', x: 0.1, y: 0.7 },
      ]),
    );
    expect(fields.url).toBeNull();
  });

  it('gives no address when only a postcode and one word are left of it', () => {
    const card = (...address: string[]) =>
      extractCardFields(
        cardLines([
          { text: 'L. V. Hartley', x: 0.1, y: 0.2, h: 0.06 },
          ...address.map((text, i) => ({ text, x: 0.1, y: 0.6 + 0.06 * i })),
        ]),
      ).addr;
    expect(card('28046 Madnd')).toBeNull();
    expect(card('Paseo de la Castellana 29', '28046 Madrid')).toBe('Paseo de la Castellana 29, 28046 Madrid');
  });

  it('keeps a town printed on a line of its own between two address lines', () => {
    const lines = ['Suite 12, Lowry Building', '476 Mission Street', 'Edinburgh', 'EH2 4AD', 'United Kingdom'];
    const fields = extractCardFields(
      cardLines([
        { text: "Ciaran O'Sullivan", x: 0.1, y: 0.1, h: 0.06 },
        ...lines.map((text, i) => ({ text, x: 0.1, y: 0.5 + 0.06 * i })),
      ]),
    );
    expect(fields.addr).toBe('Suite 12, Lowry Building, 476 Mission Street, Edinburgh, EH2 4AD, United Kingdom');
    // A town alone after the last address line is no part of it (nothing below says it belongs).
    const below = extractCardFields(
      cardLines([
        { text: "Ciaran O'Sullivan", x: 0.1, y: 0.1, h: 0.06 },
        { text: '476 Mission Street', x: 0.1, y: 0.5 },
        { text: 'EH2 4AD', x: 0.1, y: 0.56 },
        { text: 'Edinburgh', x: 0.1, y: 0.62 },
      ]),
    );
    expect(below.addr).toBe('476 Mission Street, EH2 4AD');
  });

  it('reads an address printed on one line with a phone number, before the number', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'WU, Qiang', x: 0.1, y: 0.4, h: 0.06 },
        {
          text: 'Room 1907, 214 Century Avenue, Pudong, Shanghai 200120, China Phone: +86 21 0336 5921',
          x: 0.1,
          y: 0.7,
        },
      ]),
    );
    expect(fields.addr).toBe('Room 1907, 214 Century Avenue, Pudong, Shanghai 200120, China');
    expect(fields.phone_number).toBe('+86 21 0336 5921');
  });

  it('reads a British postcode whose one was read as a letter I as an address line', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Chloe Prescott', x: 0.1, y: 0.3, h: 0.06 },
        { text: '41 Elm Street', x: 0.1, y: 0.6 },
        { text: 'Leeds', x: 0.1, y: 0.66 },
        { text: 'LSI 2HT', x: 0.1, y: 0.72 },
        { text: 'United Kingdom', x: 0.1, y: 0.78 },
      ]),
    );
    expect(fields.addr).toBe('41 Elm Street, Leeds, LS1 2HT, United Kingdom');
  });

  it('reads a country whose first word was lost beside a mark from its last word', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Chloe Prescott', x: 0.2, y: 0.3, h: 0.06 },
        { text: '41 Elm Street', x: 0.2, y: 0.6 },
        { text: 'Leeds', x: 0.2, y: 0.66 },
        { text: 'LS1 2HT', x: 0.2, y: 0.72 },
        { text: 'Ah', x: 0.15, y: 0.78, h: 0.07, confidence: 31 },
        { text: 'Kingdom', x: 0.26, y: 0.78 },
      ]),
    );
    expect(fields.addr).toBe('41 Elm Street, Leeds, LS1 2HT, United Kingdom');
  });

  it('follows an address line with the first piece of the row below it, then the rest of that row', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Kavya Iyer', x: 0.2, y: 0.3, h: 0.06 },
        { text: '11th Floor,', x: 0.55, y: 0.6 },
        { text: 'Brigade Centre', x: 0.68, y: 0.6 },
        { text: 'MG Road,', x: 0.56, y: 0.6401 },
        { text: 'Bengaluru 560001', x: 0.66, y: 0.64 },
      ]),
    );
    expect(fields.addr).toBe('11th Floor, Brigade Centre, MG Road, Bengaluru 560001');
  });

  it('reads an address printed on one line with a web address after it', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Gao Jing', x: 0.1, y: 0.4, h: 0.06 },
        { text: '118 Rue Sherbrooke Ouest, Suite 559, Montreal, oc H3a 189 WED: www.alameda.ca', x: 0.1, y: 0.7 },
      ]),
    );
    expect(fields.addr).toBe('118 Rue Sherbrooke Ouest, Suite 559, Montreal, QC H3A 1B9');
    expect(fields.url).toBe('www.alameda.ca');
  });

  it('does not give a line twice when the re-read of a scrap below an address catches the line above', async () => {
    const card = cardLines([
      { text: 'Marie-Claire Caldwell', x: 0.1, y: 0.1, h: 0.06 },
      { text: '4-3-27 Marunouchi, Chiyoda-ku', x: 0.1, y: 0.6 },
      { text: 'Tokyo 100-6390, Japan', x: 0.1, y: 0.66 },
      { text: 'Tnkyn 1OO-639O, Japau', x: 0.1, y: 0.685, confidence: 30 },
    ]);
    const refine = async (): Promise<OcrLine[]> => cardLines([{ text: 'Tokyo 100-6390, Japan', x: 0.1, y: 0.66 }]);
    expect((await extractCardFieldsAsync(card, { refine })).addr).toBe(
      '4-3-27 Marunouchi, Chiyoda-ku, Tokyo 100-6390, Japan',
    );
  });

  it('reads a capital I that the OCR read as a lower-case l at the start of a name', () => {
    const name = (text: string) =>
      extractCardFields(
        cardLines([
          { text, x: 0.1, y: 0.3, h: 0.06 },
          { text: 'Creative Director', x: 0.1, y: 0.4 },
        ]),
      ).name;
    expect(name('Kavya lyer')).toBe('Kavya Iyer');
    expect(name('lsabel Pennington')).toBe('Isabel Pennington');
    expect(name('María de la Cruz')).toBe('María de la Cruz');
  });

  it('reads a web address after a "W" label without its colon, dots read as spaces, by the mail domain', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'HU Yuting', x: 0.1, y: 0.3, h: 0.06 },
        { text: 'E hu.yuting@arclightkendrick.cn', x: 0.5, y: 0.6 },
        { text: 'W arclightkendrick cn', x: 0.5, y: 0.66 },
      ]),
    );
    expect(fields.url).toBe('arclightkendrick.cn');
  });

  it('reads a hyphenated number whose one period is a hyphen read small, and title acronyms in capitals', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Yuting Huang', x: 0.1, y: 0.3, h: 0.06 },
        { text: 'Lead ux Researcher', x: 0.1, y: 0.4 },
        { text: '+1-949-555.0141', x: 0.5, y: 0.7 },
      ]),
    );
    expect(fields.phone_number).toBe('+1-949-555-0141');
    expect(fields.job_title).toBe('Lead UX Researcher');
  });

  it('spells a company word read doubtfully one letter off its mail domain as the domain does', () => {
    const company = (confidence: number) =>
      extractCardFields(
        cardLines([
          { text: 'Yuting Huang', x: 0.1, y: 0.3, h: 0.06 },
          { text: 'Lanterntish Software LLC', x: 0.1, y: 0.1, h: 0.05, confidence },
          { text: 'yhuang@lanternfish.co', x: 0.5, y: 0.7 },
        ]),
      ).company;
    expect(company(60)).toBe('Lanternfish Software LLC');
    // Read with confidence, the printed name stands (a company need not be spelled as its domain).
    expect(company(95)).toBe('Lanterntish Software LLC');
  });

  it('re-reads the row of a mail label whose mailbox was read without its domain ("E lhartley")', async () => {
    const card = cardLines([
      { text: 'L. V. Hartley', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'E lhartley', x: 0.3, y: 0.8 },
    ]);
    expect(extractCardFields(card).email).toBeNull();
    const regions: OcrBox[] = [];
    const refine = async (region: OcrBox): Promise<OcrLine[]> => {
      regions.push(region);
      return cardLines([{ text: 'E lhartley@haneulsystems.es', x: 0.3, y: 0.8 }]);
    };
    expect((await extractCardFieldsAsync(card, { refine })).email).toBe('lhartley@haneulsystems.es');
    // To the right of the label, past what was read.
    expect(regions[0].left + regions[0].width).toBeGreaterThan(0.3 + 0.12);
  });

  it('repairs address pieces the OCR split or misread', () => {
    expect(repairAddressSlips('2-1 1-28 Marunouchi, Chiyoda-ku')).toBe('2-11-28 Marunouchi, Chiyoda-ku');
    expect(repairAddressSlips('Leeds, LS12HT, UK')).toBe('Leeds, LS1 2HT, UK');
    expect(repairAddressSlips('Leeds, LS1 2HT, UK')).toBe('Leeds, LS1 2HT, UK');
    expect(repairAddressSlips('Seongnam.-si 13494')).toBe('Seongnam-si 13494');
    expect(repairAddressSlips('llth Floor, Brigade Centre')).toBe('11th Floor, Brigade Centre');
    expect(ninesInPostcodes('Montreal, QC H3A 1B?')).toBe('Montreal, QC H3A 1B9');
    expect(ninesInPostcodes('Galway H?1 FD92')).toBe('Galway H91 FD92');
    expect(ninesInPostcodes('Why? Because')).toBe('Why? Because');
    expect(onesInPostcodes('Leeds, LSI 2HT')).toBe('Leeds, LS1 2HT');
    expect(onesInPostcodes('London, ECIV 9BD')).toBe('London, EC1V 9BD');
    expect(repairCanadianPostcode('Montreal, oc H3a 189')).toBe('Montreal, QC H3A 1B9');
    expect(repairCanadianPostcode('Toronto, ON M5J 2J2')).toBe('Toronto, ON M5J 2J2');
    expect(repairCanadianPostcode('Denver, CO 80202')).toBe('Denver, CO 80202');
  });

  it('reads a Canadian town line whose postcode was read with a bracket for J and S for 5 as an address line', () => {
    expect(repairCanadianPostcode('Toronto, ON MS) 2)2')).toBe('Toronto, ON M5J 2J2');
    const fields = extractCardFields(
      cardLines([
        { text: 'Emma Oakley', x: 0.1, y: 0.3, h: 0.06 },
        { text: '411 Bay Street, Suite 2616', x: 0.1, y: 0.6 },
        { text: 'Toronto, ON MS) 2)2', x: 0.1, y: 0.66 },
        { text: 'Canada', x: 0.1, y: 0.72 },
      ]),
    );
    expect(fields.addr).toBe('411 Bay Street, Suite 2616, Toronto, ON M5J 2J2, Canada');
  });

  it('does not give an address whose Canadian postcode is misread beyond repair', () => {
    expect(isWholeAddress('118 Rue Sherbrooke Ouest, Montreal, oC M34 189')).toBe(false);
    expect(isWholeAddress('118 Rue Sherbrooke Ouest, Montreal, QC H3A 1B9')).toBe(true);
  });

  it('does not give an address whose country line was read from its middle on', () => {
    expect(countryLineCut('11F, 128 Pangyo-ro, Bundang-gu, h Korea')).toBe(true);
    expect(countryLineCut('128 Pangyo-ro, Seongnam-si 13494, South Korea')).toBe(false);
    expect(isWholeAddress('11F, 128 Pangyo-ro, Bundang-gu, h Korea')).toBe(false);
  });

  it('drops a digit read after the town on a line that begins with its postcode', () => {
    expect(withoutDigitAfterTown('60311 Frankfurt am Main 1')).toBe('60311 Frankfurt am Main');
    expect(withoutDigitAfterTown('Dublin 2')).toBe('Dublin 2');
    const fields = extractCardFields(
      cardLines([
        { text: 'Tiago da Costa', x: 0.1, y: 0.3, h: 0.06 },
        { text: 'Friedrichstraße 8', x: 0.1, y: 0.7 },
        { text: '60311 Frankfurt am Main 1', x: 0.1, y: 0.76 },
      ]),
    );
    expect(fields.addr).toBe('Friedrichstraße 8, 60311 Frankfurt am Main');
  });

  it('continues an address part that ends in a comma along its row', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'Kavya Iyer', x: 0.1, y: 0.2, h: 0.06 },
        { text: '11th Floor,', x: 0.4, y: 0.6, more: [{ text: 'Brigade Centre', x: 0.55 }] },
        { text: 'MG Road,', x: 0.4, y: 0.66, more: [{ text: 'Bengaluru 560001', x: 0.55 }] },
      ]),
    );
    expect(fields.addr).toBe('11th Floor, Brigade Centre, MG Road, Bengaluru 560001');
  });

  it('drops a stroke read before a name, and a scrap after a title', () => {
    const fields = extractCardFields(
      cardLines([
        { text: 'I Ito Sho', x: 0.1, y: 0.2, h: 0.06 },
        { text: 'Brand Strategist \\', x: 0.1, y: 0.3 },
      ]),
    );
    expect(fields.name).toBe('Ito Sho');
    expect(fields.job_title).toBe('Brand Strategist');
  });

  it('names a company after its mail domain only when the domain is not several words run together', () => {
    const company = (email: string) =>
      extractCardFields(
        cardLines([
          { text: 'Ito Sho', x: 0.1, y: 0.2, h: 0.06 },
          { text: email, x: 0.1, y: 0.6 },
        ]),
      ).company;
    expect(company('sito@northgate.sg')).toBe('Northgate');
    expect(company('sito@redkite-caldwell.com')).toBe('Redkite Caldwell');
    expect(company('sito@redkitecaldwell.com')).toBeNull();
  });

  /** The phone number read off a card with the name Ito Sho and `text` below it. */
  const phone = (text: string) =>
    extractCardFields(
      cardLines([
        { text: 'Ito Sho', x: 0.1, y: 0.2, h: 0.06 },
        { text, x: 0.1, y: 0.6 },
      ]),
    ).phone_number;

  it('joins the last group of a North American number that the OCR split', () => {
    expect(phone('Tel. +1 (920) 555-01 71')).toBe('+1 (920) 555-0171');
    expect(phone('Tel. 223.555.01 75')).toBe('223.555.0175');
    expect(phone('Tel. +33 1 75 63 62 59')).toBe('+33 1 75 63 62 59');
  });

  it("reads a lone period between groups parted otherwise as the number's own separator", () => {
    expect(phone('Tel. 01.844 1458')).toBe('01 844 1458');
    expect(phone('Tel. +81 3-1637.9427')).toBe('+81 3-1637-9427');
    expect(phone('Tel. 500.555.0187')).toBe('500.555.0187');
    expect(phone('Tel. +33 1.75.63.62.59')).toBe('+33 1.75.63.62.59');
  });

  it('joins a postcode read in two pieces and capitalises a country read in lower case', () => {
    expect(joinSplitPostcode('Hafenweg 46, 28 195 Bremen, Germany')).toBe('Hafenweg 46, 28195 Bremen, Germany');
    expect(joinSplitPostcode('Pudong, Shanghai 2001 20, China')).toBe('Pudong, Shanghai 200120, China');
    expect(joinSplitPostcode('Suite 12 100 Main Street')).toBe('Suite 12 100 Main Street');
    expect(joinSplitPostcode('Dublin 2, D02 X576')).toBe('Dublin 2, D02 X576');
    expect(capitalCountry('Shanghai 200120, china')).toBe('Shanghai 200120, China');
    expect(capitalCountry('Seongnam-si 13494, south korea')).toBe('Seongnam-si 13494, South Korea');
    expect(capitalCountry('Tokyo 100-6390, Japan')).toBe('Tokyo 100-6390, Japan');
  });

  it("drops a logo glyph read as a bracket none closes or opens and completes a legal form's periods", () => {
    expect(tidyCompany('INDIGO LABS 5.4')).toBe('INDIGO LABS S.A.');
    expect(tidyCompany('@ Ember Foods plc')).toBe('Ember Foods plc');
    expect(tidyCompany('® Glacier Logistics')).toBe('Glacier Logistics');
    expect(tidyCompany('" €) LARKSPUR FABRICATION')).toBe('LARKSPUR FABRICATION');
    expect(tidyCompany('Marrowby Put. Ltd.')).toBe('Marrowby Pvt. Ltd.');
    expect(tidyCompany('MARROWBY PUT LTD')).toBe('MARROWBY PVT LTD');
    expect(tidyCompany('Putnam Ltd')).toBe('Putnam Ltd');
    expect(tidyCompany('Merlion 8.V.')).toBe('Merlion B.V.');
    expect(tidyCompany('Route 6.6')).toBe('Route 6.6');
    expect(tidyCompany('( HANEUL LTD')).toBe('HANEUL LTD');
    expect(tidyCompany('[EA Lanternfish Software LLC')).toBe('Lanternfish Software LLC');
    expect(tidyCompany('Juniper Sdn. Bhd')).toBe('Juniper Sdn. Bhd.');
    expect(tidyCompany('Juniper Biotech Pte. Ltd')).toBe('Juniper Biotech Pte. Ltd.');
    expect(tidyCompany('Acme Pty Ltd')).toBe('Acme Pty Ltd');
    expect(tidyCompany('Acme (Asia) Ltd')).toBe('Acme (Asia) Ltd');
    expect(tidyCompany('Larkspur & Montgomery]')).toBe('Larkspur & Montgomery');
    expect(tidyCompany('Acme (Asia)')).toBe('Acme (Asia)');
  });
});

describe('extractCardFields on titles the OCR cut', () => {
  const card = (title: PrintedLine) =>
    cardLines([
      { text: 'Chidi Okafor', x: 0.1, y: 0.5, h: 0.06 },
      title,
      { text: 'Ember Partners Ltd', x: 0.1, y: 0.1, h: 0.05 },
      { text: 'cokafor@emberpartners.fr', x: 0.55, y: 0.8, h: 0.035 },
    ]);

  it('joins the words of one printed title that the OCR cut at a wide-looking gap', () => {
    const fields = extractCardFields(
      card({ text: 'Supply', x: 0.1, y: 0.6, more: [{ text: 'Chain Analyst', x: 0.24 }] }),
    );
    expect(fields.job_title).toBe('Supply Chain Analyst');
  });

  it('gives no title that starts with a fragment ("ative Director") unless a re-read makes it whole', async () => {
    const cut = card({ text: 'ative Director', x: 0.1, y: 0.6 });
    expect(extractCardFields(cut).job_title).toBeNull();
    const refine = async (region: OcrBox): Promise<OcrLine[]> =>
      cardLines([{ text: 'Creative Director', x: region.left, y: region.top + 0.01, h: 0.04 }]);
    expect((await extractCardFieldsAsync(cut, { refine })).job_title).toBe('Creative Director');
  });
});

describe('extractCardFields on real Textract responses (not cards)', () => {
  const dir = sharedPath('fixtures', 'textract');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('takes every value it returns from the page text', () => {
    expect(files.length, `Textract responses in ${dir}`).toBeGreaterThan(0);
    const compact = (s: string) => s.toLowerCase().replace(/\s+/g, '');
    for (const file of files) {
      const response = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { Blocks: Block[] };
      const pageText = compact(
        response.Blocks.filter((b) => b.BlockType === 'LINE')
          .map((b) => b.Text)
          .join('\n'),
      );
      const fields = extractCardFields(linesOfBlocks(response.Blocks));
      for (const key of ['name', 'job_title', 'email', 'phone_number', 'url'] as const) {
        const value = fields[key];
        if (value !== null) expect(pageText, `${file} ${key}`).toContain(compact(value));
      }
      for (const part of fields.addr?.split(', ') ?? []) expect(pageText, `${file} addr`).toContain(compact(part));
    }
  });
});
