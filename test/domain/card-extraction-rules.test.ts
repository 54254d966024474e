import { describe, expect, it } from 'vitest';
import { endsWithCountry } from '../../src/domain/card-extraction/address.js';
import {
  extractCardFields,
  isPartnership,
  slashReadAsL,
  tidyCompany,
  withDomainName,
} from '../../src/domain/card-extraction/index.js';
import { countryCodeForDomain, nationalGrouping } from '../../src/domain/card-extraction/phones.js';
import { emailsIn, freemailSpelling, normaliseWebText, urlsIn } from '../../src/domain/card-extraction/web.js';
import { cardLines, type PrintedLine } from './card-extraction-lines.js';

const card = (lines: PrintedLine[]) => extractCardFields(cardLines(lines));

describe('web addresses read with slips', () => {
  it('reads a scheme with a slip before www as https://www.', () => {
    expect(normaliseWebText('hitps:/iwww.arclight-analytics.co kr')).toBe('https://www.arclight-analytics.co.kr');
    expect(normaliseWebText('W https / ww redkite-mobility.co')).toBe('W https://www.redkite-mobility.co');
    expect(normaliseWebText('http://www.acme.com')).toBe('http://www.acme.com');
  });

  it("reads a path's slash read as l on the mail domain", () => {
    expect(slashReadAsL('northgate.sglen', 'northgate.sg')).toBe('northgate.sg/en');
    expect(slashReadAsL('www.acme.co1contact', 'acme.co')).toBe('www.acme.co/contact');
    expect(slashReadAsL('northgate.sg', 'northgate.sg')).toBeNull();
    expect(slashReadAsL('acme.com', 'acme.co')).toBeNull();
    const fields = card([
      { text: 'Molly Ellison', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'mollye@northgate.sg', x: 0.5, y: 0.6 },
      { text: 'northgate.sglen', x: 0.5, y: 0.66 },
    ]);
    expect(fields.url).toBe('northgate.sg/en');
  });

  it('takes a web address read apart ("juniper es") and its spelling over a mail domain read with a slip', () => {
    const fields = card([
      { text: 'lJ Juniper Analytics S.L.', x: 0.1, y: 0.1, h: 0.05 },
      { text: 'Isabel Whitaker', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'iwhitaker @ junmiper.es', x: 0.1, y: 0.7, confidence: 45 },
      { text: 'juniper es', x: 0.1, y: 0.76 },
    ]);
    expect(fields.url).toBe('juniper.es');
    expect(fields.email).toBe('iwhitaker@juniper.es');
    expect(fields.company).toBe('Juniper Analytics S.L.');
  });

  it("spells a free mail provider's name one letter off as the provider", () => {
    expect(freemailSpelling('c.brennan@outiook.com')).toBe('c.brennan@outlook.com');
    expect(freemailSpelling('jo@gmaii.com')).toBe('jo@gmail.com');
    expect(freemailSpelling('jo@gmail.com')).toBe('jo@gmail.com');
    expect(freemailSpelling('jo@acme.com')).toBe('jo@acme.com');
  });

  it('joins a mailbox split in two words, its first part read with one slip, by the name', () => {
    const fields = card([
      { text: 'Jing Huang', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'Head of Partnerships', x: 0.1, y: 0.38 },
      { text: 'ning huang@sable.com.au', x: 0.1, y: 0.8 },
    ]);
    expect(fields.email).toBe('jing.huang@sable.com.au');
  });
});

describe("phone numbers in their country's groups", () => {
  it('restores the groups France, Seoul and North America print', () => {
    expect(nationalGrouping('+33 175 23 38 11')).toBe('+33 1 75 23 38 11');
    expect(nationalGrouping('+33 1 75636259')).toBe('+33 1 75 63 62 59');
    expect(nationalGrouping('+33 1 75 63 62 59')).toBe('+33 1 75 63 62 59');
    expect(nationalGrouping('+33 1.75.63.62.59')).toBe('+33 1.75.63.62.59');
    expect(nationalGrouping('+82 25908 2707')).toBe('+82 2 5908 2707');
    expect(nationalGrouping('+82 10 5908 2707')).toBe('+82 10 5908 2707');
    expect(nationalGrouping('+1 501 5550146')).toBe('+1 501 555 0146');
    expect(nationalGrouping('+1 501 555 0146')).toBe('+1 501 555 0146');
    expect(card([{ text: 'Tel. +1501 5550146', x: 0.1, y: 0.7 }]).phone_number).toBe('+1 501 555 0146');
  });

  it("takes the country code of the card's top-level domain when one digit off and read with little confidence", () => {
    expect(countryCodeForDomain('+31 91 234 78 34', 'es')).toBe('+34 91 234 78 34');
    expect(countryCodeForDomain('+31 20 645 0284', 'nl')).toBe('+31 20 645 0284');
    expect(countryCodeForDomain('+44 20 7946 0350', 'es')).toBe('+44 20 7946 0350');
    const phone = (confidence: number) =>
      card([
        { text: 'Isabel Whitaker', x: 0.1, y: 0.3, h: 0.06 },
        { text: 'Tel. +31 91 234 78 34', x: 0.1, y: 0.7, confidence },
        { text: 'iwhitaker@juniper.es', x: 0.1, y: 0.76 },
      ]).phone_number;
    expect(phone(70)).toBe('+34 91 234 78 34');
    expect(phone(95)).toBe('+31 91 234 78 34');
  });
});

describe('addresses and company lines', () => {
  it('ends an address at its country', () => {
    expect(endsWithCountry('EH2 4AD, United Kingdom')).toBe(true);
    expect(endsWithCountry('476 Mission Street')).toBe(false);
    const fields = card([
      { text: "Ciaran O'Sullivan", x: 0.1, y: 0.1, h: 0.06 },
      { text: '476 Mission Street', x: 0.1, y: 0.5 },
      { text: 'Edinburgh EH2 4AD', x: 0.1, y: 0.56 },
      { text: 'United Kingdom', x: 0.1, y: 0.62 },
      { text: 'BE JE 12 Street', x: 0.1, y: 0.68 },
    ]);
    expect(fields.addr).toBe('476 Mission Street, Edinburgh EH2 4AD, United Kingdom');
  });

  it('reads capitalised names joined by an ampersand as a firm', () => {
    expect(isPartnership('Saltmarsh & Prescott')).toBe(true);
    expect(isPartnership('Research & Development')).toBe(true);
    expect(isPartnership('Lisa-Marie Merriman')).toBe(false);
    const fields = card([
      { text: 'Saltmarsh & Prescott', x: 0.1, y: 0.15, h: 0.05 },
      { text: 'Lisa-Marie Merriman', x: 0.1, y: 0.35, h: 0.06 },
      { text: 'Chief Operating Officer', x: 0.1, y: 0.45 },
    ]);
    expect(fields.company).toBe('Saltmarsh & Prescott');
    expect(fields.name).toBe('Lisa-Marie Merriman');
  });

  it("puts the domain's name before a company line of generic words only", () => {
    expect(withDomainName('ANALYTICS', ['hikari'])).toBe('HIKARI ANALYTICS');
    expect(withDomainName('Labs Ltd', ['indigo'])).toBe('Indigo Labs Ltd');
    expect(withDomainName('Indigo Labs', ['indigo'])).toBe('Indigo Labs');
    expect(withDomainName('ANALYTICS', ['hikari-labs'])).toBe('ANALYTICS');
    expect(withDomainName('ANALYTICS', [])).toBe('ANALYTICS');
  });
});

describe('mailboxes, web addresses and company lines: second batch', () => {
  const seg = (text: string) => ({
    text,
    words: [],
    box: { left: 0, top: 0, width: 1, height: 0.04 },
    size: 0.04,
    line: 0,
    order: 0,
    column: 0,
  });

  it("reads a bar before a mailbox's dot as l and two dots in a row as one", () => {
    expect(emailsIn(seg('© |.thornbury@kaizen.ca')).map((h) => h.value)).toEqual(['l.thornbury@kaizen.ca']);
    expect(emailsIn(seg('mary-kate..pennington@acme.com')).map((h) => h.value)).toEqual([
      'mary-kate.pennington@acme.com',
    ]);
  });

  it('reads a mailbox 1 or 0 as l or o when the name spells it so', () => {
    const email = (text: string, name = 'Lucy Marlowe') =>
      card([
        { text: name, x: 0.1, y: 0.3, h: 0.06 },
        { text, x: 0.1, y: 0.8 },
      ]).email;
    expect(email('1.marlowe@meridian.co.uk')).toBe('l.marlowe@meridian.co.uk');
    expect(email('marlowe01@meridian.co.uk')).toBe('marlowe01@meridian.co.uk');
  });

  it('joins a mailbox split around a spaced @ and keeps the hyphen the name has', () => {
    const email = (text: string, name: string) =>
      card([
        { text: name, x: 0.1, y: 0.3, h: 0.06 },
        { text, x: 0.1, y: 0.8 },
      ]).email;
    expect(email('han hyunwoo @ sablesystems.com', 'HAN Hyun-woo')).toBe('han.hyunwoo@sablesystems.com');
    expect(email('mary-kate pennington@glacier.com', 'Mary-Kate Pennington')).toBe('mary-kate.pennington@glacier.com');
  });

  it('takes no legal form for a web address and restores a www read apart or as v.', () => {
    expect(urlsIn(seg('4p TIDEWATER SYSTEMS PVT.LT')).map((h) => h.value)).toEqual([]);
    const url = (...lines: PrintedLine[]) =>
      card([
        { text: "Sean N'Diaye", x: 0.1, y: 0.3, h: 0.06 },
        { text: 'Email: s.ndiaye@silverline.ie', x: 0.1, y: 0.7 },
        ...lines,
      ]).url;
    expect(url({ text: 'v.silverline.ie', x: 0.1, y: 0.76 })).toBe('www.silverline.ie');
    expect(url({ text: 'www', x: 0.1, y: 0.76, more: [{ text: 'silverline.ie', x: 0.16 }] })).toBe('www.silverline.ie');
    expect(url({ text: 'Windigo ie', x: 0.1, y: 0.76 })).toBeNull();
    expect(url({ text: 'Wsilverline ie', x: 0.1, y: 0.76 })).toBe('silverline.ie');
  });

  it("drops a glyph read as a digit in front of a company name and restores a legal form's last period", () => {
    const company = (confidence: number) =>
      card([
        { text: '2 Juniper Labs', x: 0.1, y: 0.1, h: 0.05, confidence },
        { text: 'Hannah Garcia-Lopez', x: 0.1, y: 0.3, h: 0.06 },
      ]).company;
    expect(company(60)).toBe('Juniper Labs');
    expect(company(95)).toBe('2 Juniper Labs');
    expect(tidyCompany('Alameda Partners K.K')).toBe('Alameda Partners K.K.');
    expect(tidyCompany('TIDEWATER SYSTEMS PVT. LTD')).toBe('TIDEWATER SYSTEMS PVT. LTD.');
    expect(tidyCompany('Boreal Labs Ltd')).toBe('Boreal Labs Ltd');
  });
});
