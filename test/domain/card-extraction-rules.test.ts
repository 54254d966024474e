import { describe, expect, it, vi } from 'vitest';
import {
  addressScore,
  endsWithCountry,
  hasTownPart,
  joinSplitPostcode,
  repairAddressSlips,
  repairCityName,
  repairStreetWords,
} from '../../src/domain/card-extraction/address.js';
import {
  extractCardFields,
  extractCardFieldsAsync,
  isPartnership,
  isPhrase,
  readAsLike,
  slashReadAsL,
  tidyCompany,
  withDomainName,
} from '../../src/domain/card-extraction/index.js';
import { withoutScrapBeforeName } from '../../src/domain/card-extraction/people.js';
import { countryCodeForDomain, nationalGrouping, plusRestored } from '../../src/domain/card-extraction/phones.js';
import { emailsIn, freemailSpelling, normaliseWebText, urlsIn } from '../../src/domain/card-extraction/web.js';
import type { OcrLine } from '../../src/ports/ocr.js';
import { cardLines, type PrintedLine } from './card-extraction-lines.js';

const card = (lines: PrintedLine[]) => extractCardFields(cardLines(lines));

describe('web addresses read with slips', () => {
  it('reads a scheme with a slip before www as https://www.', () => {
    expect(normaliseWebText('hitps:/iwww.arclight-analytics.co kr')).toBe('https://www.arclight-analytics.co.kr');
    expect(normaliseWebText('W https / ww redkite-mobility.co')).toBe('W https://www.redkite-mobility.co');
    expect(normaliseWebText('http://www.acme.com')).toBe('http://www.acme.com');
    // An icon read as © before a mail address is no @ of its own.
    expect(normaliseWebText('a -J © 1.holmgren@yeonhwadrummond.com F')).toBe('a -J © 1.holmgren@yeonhwadrummond.com F');
    expect(normaliseWebText('l.holmgren © yeonhwadrummond.com')).toBe('l.holmgren@yeonhwadrummond.com');
  });

  it('reads a scheme whose slashes were read as quote marks, or a www read short after one, as https://www.', () => {
    expect(normaliseWebText("https: ‘'www.nordhavn.com")).toBe('https://www.nordhavn.com');
    expect(normaliseWebText('https://y ww. longmen-architects.jp')).toBe('https://www.longmen-architects.jp');
  });

  it('joins a lone www to the host after it, not to a whole www. after it (a web label read as "WwW")', () => {
    expect(normaliseWebText('www lindenhof.co.uk')).toBe('www.lindenhof.co.uk');
    expect(normaliseWebText('WwW www.tallowmere-fabrication.com')).toBe('WwW www.tallowmere-fabrication.com');
    expect(urlsIn(seg('WwW www.tallowmere-fabrication.com')).map((h) => h.value)).toEqual([
      'www.tallowmere-fabrication.com',
    ]);
  });

  it('takes no country second level alone ("com.my") for a web address', () => {
    expect(urlsIn(seg('com.my')).map((h) => h.value)).toEqual([]);
    expect(urlsIn(seg('ember.com.my')).map((h) => h.value)).toEqual(['ember.com.my']);
  });

  it('reads a www whose dot was lost; takes no end of the mail domain cut in its name for the web address', () => {
    expect(normaliseWebText('wwwglaclerfoods.co')).toBe('www.glaclerfoods.co');
    const fields = card([
      { text: 'Paige Baker', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'p.baker@bluestone.com', x: 0.1, y: 0.7 },
      { text: 'tone.com', x: 0.25, y: 0.75 },
    ]);
    expect(fields.url).toBeNull();
  });

  it('spells a mail domain read with like letters as a company line read well, or its first words, spell it', () => {
    const fields = (company: string, email: string, url?: string, confidence = 95) =>
      card([
        { text: company, x: 0.11, y: 0.14, h: 0.07, confidence },
        { text: 'Ishikawa Shigeru', x: 0.1, y: 0.33, h: 0.08 },
        { text: email, x: 0.1, y: 0.66, confidence: 80 },
        ...(url ? [{ text: url, x: 0.1, y: 0.71, confidence: 80 }] : []),
      ]);
    const bracken = fields('BRACKENRIDGE SOLUTIONS INC.', 'shigerui@brackenndge.com', 'https://brackenndge.com');
    expect(bracken.email).toBe('shigerui@brackenridge.com');
    expect(bracken.url).toBe('https://brackenridge.com');
    expect(fields('TIANYU FABRICATION', 'm.nakamura@tanyu.co').email).toBe('m.nakamura@tianyu.co');
    // Not a domain spelled otherwise, nor beside a company line read poorly.
    expect(fields('TIANYU FABRICATION', 'm.nakamura@tianyu1.co').email).toBe('m.nakamura@tianyu1.co');
    expect(fields('TIANYU FABRICATION', 'm.nakamura@tanyu.co', undefined, 70).email).toBe('m.nakamura@tanyu.co');
    // The first words that spell it as sure as they are, a legal form after them read less surely.
    const eikenhof = cardLines([
      { text: 'Eikenhof Co., Ltd.', x: 0.17, y: 0.27, h: 0.07, confidence: 94 },
      { text: 'GAO Yuxuan', x: 0.19, y: 0.72, h: 0.07 },
      { text: 'y.gao@ekenhol.cn', x: 0.6, y: 0.75, h: 0.03, confidence: 60 },
    ]);
    eikenhof[0].words[1].confidence = 73;
    expect(extractCardFields(eikenhof).email).toBe('y.gao@eikenhof.cn');
    expect(readAsLike('tanyu', 'tianyu')).toBe(true);
    expect(readAsLike('thistiedown', 'thistledown')).toBe(true);
    expect(readAsLike('tanya', 'tianyu')).toBe(false);
    expect(readAsLike('tianyus', 'tianyu')).toBe(false);
  });

  it('reads a mailbox, a company name and a top level read apart as the mail address they are', () => {
    const mail = (text: string, company = 'DAEBAK GMBH') =>
      card([
        { text: company, x: 0.117, y: 0.172, h: 0.034, confidence: 94 },
        { text: '030 0504 9386 Mobile 0151 38919818', x: 0.469, y: 0.5, h: 0.032, confidence: 90 },
        { text, x: 0.441, y: 0.571, h: 0.02, confidence: 63 },
        { text: 'Joost ter Horst', x: 0.124, y: 0.578, h: 0.04, confidence: 96 },
        { text: 'Bäckerstraße 112', x: 0.441, y: 0.601, h: 0.019, confidence: 82 },
        { text: '79098 Freiburg im Breisgau', x: 0.442, y: 0.633, h: 0.022, confidence: 81 },
      ]).email;
    expect(mail('Joost daebak de')).toBe('joost@daebak.de');
    // Not a name no line of the card spells, nor a mailbox the name does not.
    expect(mail('Joost daebak de', 'HORST GMBH')).toBeNull();
    expect(mail('Jana daebak de')).toBeNull();
  });

  it('spells mail domain and web address as a line of the card does', () => {
    const fields = card([
      { text: 'COPPERLEAF BIOTECH', x: 0.11, y: 0.14, h: 0.07, confidence: 91 },
      { text: "Molly N'Diaye", x: 0.1, y: 0.33, h: 0.08 },
      { text: 'mndiaye@copperleafbiotech.com', x: 0.1, y: 0.66, confidence: 88 },
      { text: 'W copperleatbiotech.com', x: 0.1, y: 0.71, confidence: 90 },
    ]);
    expect(fields.email).toBe('mndiaye@copperleafbiotech.com');
    expect(fields.url).toBe('copperleafbiotech.com');
    // A legal form of any country is no part of the name the mail domain spells.
    const legal = card([
      { text: 'Hikari Materials Pvt. Ltd.', x: 0.17, y: 0.12, h: 0.06, confidence: 95 },
      { text: 'Audrey Oakley', x: 0.17, y: 0.33, h: 0.08 },
      { text: 'audreyo @ hikarimatenials.com', x: 0.17, y: 0.63, confidence: 44 },
    ]);
    expect(legal.email).toBe('audreyo@hikarimaterials.com');
  });

  it('takes a scheme read as a segment of its own left of the web address', () => {
    const fields = card([
      { text: 'Ananya Krishnan', x: 0.3, y: 0.35, h: 0.08 },
      { text: 'W https', x: 0.34, y: 0.665, h: 0.033 },
      { text: '"www hikarimobility.ie', x: 0.431, y: 0.66, h: 0.04 },
    ]);
    expect(fields.url).toBe('https://www.hikarimobility.ie');
  });

  it("reads a path's slash read as l on the mail domain", () => {
    expect(slashReadAsL('northgate.sglen', 'northgate.sg')).toBe('northgate.sg/en');
    expect(slashReadAsL('www.acme.co1contact', 'acme.co')).toBe('www.acme.co/contact');
    expect(slashReadAsL('northgate.sg', 'northgate.sg')).toBeNull();
    expect(slashReadAsL('acme.com', 'acme.co')).toBeNull();
    // a mail domain read with OCR junk in it is matched as text, never as a pattern (")" made the pattern invalid)
    expect(slashReadAsL('www.)juniper-biotech.comlabout', ')juniper-biotech.com')).toBe(
      'www.)juniper-biotech.com/about',
    );
    expect(slashReadAsL('acmexco.comlen', 'acme+co.com')).toBeNull();
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

  it('takes a web address read apart behind an icon, with its path ("@ redkite com/team")', () => {
    const url = (text: string) =>
      card([
        { text: 'Chloe Redfern', x: 0.1, y: 0.3, h: 0.06 },
        { text: 'credfern@redkite.com', x: 0.1, y: 0.7 },
        { text, x: 0.1, y: 0.76 },
      ]).url;
    expect(url('@ redkite com/team')).toBe('redkite.com/team');
    expect(url('» redkite com')).toBe('redkite.com');
    // a misread from the mail domain is taken as read (as "juniper es" above); another name is no web address of its
    expect(url('@ redkits com/team')).toBe('redkits.com/team');
    expect(url('@ bluefin com/team')).toBeNull();
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
    // Ten digits begun in pairs are pairs throughout; not a number in other groups.
    expect(nationalGrouping('01 51 164590')).toBe('01 51 16 45 90');
    expect(nationalGrouping('02 9031 1858')).toBe('02 9031 1858');
    expect(nationalGrouping('01 844 1458')).toBe('01 844 1458');
    expect(nationalGrouping('+33 1.75.63.62.59')).toBe('+33 1.75.63.62.59');
    expect(nationalGrouping('+82 25908 2707')).toBe('+82 2 5908 2707');
    expect(nationalGrouping('+82 10 5908 2707')).toBe('+82 10 5908 2707');
    expect(nationalGrouping('+1 501 5550146')).toBe('+1 501 555 0146');
    expect(nationalGrouping('+1 501 555 0146')).toBe('+1 501 555 0146');
    expect(card([{ text: 'Tel. +1501 5550146', x: 0.1, y: 0.7 }]).phone_number).toBe('+1 501 555 0146');
  });

  it('joins a group split in two in Seoul, Dublin and North American numbers', () => {
    expect(nationalGrouping('+82 2 8971 21 18')).toBe('+82 2 8971 2118');
    expect(nationalGrouping('+82 2 897 21 18')).toBe('+82 2 897 2118');
    expect(nationalGrouping('+353 1 682 19 38')).toBe('+353 1 682 1938');
    expect(nationalGrouping('+353 87 123 45 67')).toBe('+353 87 123 4567');
    expect(nationalGrouping('+1 414 555 01 82')).toBe('+1 414 555 0182');
    expect(nationalGrouping('+61 27052 4423')).toBe('+61 2 7052 4423');
    expect(nationalGrouping('+61 412 345 678')).toBe('+61 412 345 678');
  });

  it("joins a group split in two in Singapore's and India's numbers, and a country code or area code in brackets split", () => {
    expect(nationalGrouping('+65 6899 95 12')).toBe('+65 6899 9512');
    expect(nationalGrouping('+65 6229 0943')).toBe('+65 6229 0943');
    expect(nationalGrouping('+91 80 03 14 0049')).toBe('+91 80 0314 0049');
    expect(nationalGrouping('+91 9866 025321')).toBe('+91 98660 25321');
    // Not a landline of an area code outside the metros, nor a number of other digits.
    expect(nationalGrouping('+91 79 03 14 0049')).toBe('+91 79 03 14 0049');
    expect(nationalGrouping('+91 80 0314 004')).toBe('+91 80 0314 004');
    const phone = (text: string) => card([{ text, x: 0.1, y: 0.7 }]).phone_number;
    expect(phone('O +9 1 80 03 14 0049')).toBe('+91 80 0314 0049');
    expect(phone('+1 (23 1) 555-0197')).toBe('+1 (231) 555-0197');
    expect(phone('+7 495 123 45 67')).toBe('+7 495 123 45 67');
  });

  it("splits a Dutch city's two-digit area code from the three digits the OCR ran it into", () => {
    expect(nationalGrouping('+31 20711 8849')).toBe('+31 20 711 8849');
    expect(nationalGrouping('+31 20 711 8849')).toBe('+31 20 711 8849');
    expect(nationalGrouping('+31 11123 4567')).toBe('+31 11123 4567');
    expect(nationalGrouping('+31 61234 5678')).toBe('+31 61234 5678');
  });

  it('gives no number cut short: too few digits for its country, or seven without a country code', () => {
    const phone = (text: string) => card([{ text, x: 0.1, y: 0.7 }]).phone_number;
    expect(phone('T +44 7700 9')).toBeNull();
    expect(phone('T 800 5465')).toBeNull();
    expect(phone('T 6278 0637')).toBe('6278 0637');
    expect(phone('T +44 7700 900775')).toBe('+44 7700 900775');
  });

  it("joins Dublin's area code run into the number, and a North American line number split", () => {
    expect(nationalGrouping('+353 1207 2372')).toBe('+353 1 207 2372');
    expect(card([{ text: 'Tel (800) 555-0 170', x: 0.1, y: 0.7 }]).phone_number).toBe('(800) 555-0170');
  });

  it('joins a four-digit group split after an area code and its hyphen', () => {
    const phone = (text: string) => card([{ text, x: 0.1, y: 0.7 }]).phone_number;
    expect(phone('Tel. +60 3-1 830 4318')).toBe('+60 3-1830 4318');
    expect(phone('Tel. +60 3-1830 4318')).toBe('+60 3-1830 4318');
    expect(phone('Tel. 03-5314-0974')).toBe('03-5314-0974');
  });

  it('drops a phone icon read as a zero before a North American number', () => {
    expect(card([{ text: '0 910.555.0189', x: 0.1, y: 0.7 }]).phone_number).toBe('910.555.0189');
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

/** The address read from a card of a name and, under it, the lines given (one under the other). */
function addressUnderAName(...lines: string[]): string | null {
  return card([
    { text: 'Paige Baker-Whitfield', x: 0.1, y: 0.3, h: 0.06 },
    ...lines.map((text, i) => ({ text, x: 0.1, y: 0.8 + 0.06 * i })),
  ]).addr;
}

describe('addresses: postcodes and towns read with slips', () => {
  it('joins a postcode read in two pieces after its town, and scores the line as an address', () => {
    expect(joinSplitPostcode('Singapore 01 9499')).toBe('Singapore 019499');
    expect(joinSplitPostcode('Gangnam-gu, Seoul 062 36, Korea')).toBe('Gangnam-gu, Seoul 06236, Korea');
    expect(joinSplitPostcode('Dublin 2 15')).toBe('Dublin 2 15');
    expect(addressUnderAName('74 Raffles Place, #40-29', 'Singapore 01 9499')).toBe(
      '74 Raffles Place, #40-29, Singapore 019499',
    );
  });

  it('scores a street line read with a slip in its street word as the street it will be given as', () => {
    expect(addressScore('Pasco de la Castellana 92')).toBe(addressScore('Paseo de la Castellana 92'));
    expect(addressScore('Pasco de la Castellana 92')).toBeGreaterThanOrEqual(3);
  });

  it("reads a bracket in a Canadian postcode's letter place as J", () => {
    expect(repairAddressSlips('Toronto, ON M5) 2J2. Canada')).toBe('Toronto, ON M5J 2J2. Canada');
    expect(repairAddressSlips('Toronto, ON M5J 2J2')).toBe('Toronto, ON M5J 2J2');
  });

  it('spells a town beside its postcode that the OCR read with one of its letter confusions', () => {
    expect(repairCityName('10117 Berhn, Germany')).toBe('10117 Berlin, Germany');
    expect(repairCityName('Shanghai 200120')).toBe('Shanghai 200120');
    expect(repairCityName('75002 Pans')).toBe('75002 Paris');
    expect(repairCityName('29005 Malaga')).toBe('29005 Malaga');
    expect(repairCityName('10117 Bern')).toBe('10117 Bern');
    expect(repairCityName('75002 Pars, France')).toBe('75002 Paris, France');
  });

  it('joins five digits read as three and two before a town of a country of five-digit postcodes, not elsewhere', () => {
    expect(joinSplitPostcode('691 17 Heidelberg')).toBe('69117 Heidelberg');
    expect(joinSplitPostcode('Kurfürstendamm 115, 691 17 Heidelberg, Germany')).toBe(
      'Kurfürstendamm 115, 69117 Heidelberg, Germany',
    );
    expect(joinSplitPostcode('114 55 Stockholm')).toBe('114 55 Stockholm');
    expect(addressUnderAName('Kurfirstendamm 115', '691 17 Heidelberg', 'Germany')).toBe(
      'Kurfirstendamm 115, 69117 Heidelberg, Germany',
    );
  });

  it('joins a ZIP code read in two pieces after its state', () => {
    expect(joinSplitPostcode('Boston, MA 022 10')).toBe('Boston, MA 02210');
    expect(joinSplitPostcode('Boston, MA 022 101')).toBe('Boston, MA 022 101');
  });

  it("reads a floor's F read as E, and a 7 read as T before th", () => {
    expect(repairAddressSlips('3E 149 Pangyo-ro')).toBe('3F, 149 Pangyo-ro');
    expect(repairAddressSlips('Tth Floor, Embassy Point')).toBe('7th Floor, Embassy Point');
  });

  it('undoes a thin letter lost or li read as k, and joins an Eircode read apart', () => {
    expect(repairStreetWords('12th Foor, Brigade Centre')).toBe('12th Floor, Brigade Centre');
    expect(repairCityName('Dubkn 2')).toBe('Dublin 2');
    expect(repairAddressSlips('Dublin 2, D02 X 576, Ireland')).toBe('Dublin 2, D02 X576, Ireland');
    const fields = card([
      { text: 'Ryota Takahashi', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'Friedrichstraße 8', x: 0.36, y: 0.78 },
      { text: '60311 Frankfurt am Main [i', x: 0.36, y: 0.83 },
    ]);
    expect(fields.addr).toBe('Friedrichstraße 8, 60311 Frankfurt am Main');
  });

  it('spells a street or building word read with one letter slip', () => {
    expect(repairStreetWords('278 Harbor Bivd')).toBe('278 Harbor Blvd');
    expect(repairStreetWords('Sufte 12, The Exchange')).toBe('Suite 12, The Exchange');
    expect(repairStreetWords('Pasco de la Castellana 92')).toBe('Paseo de la Castellana 92');
    expect(repairStreetWords('12 King Street')).toBe('12 King Street');
  });

  it('takes a street and its number for no town, and drops one character after a postcode', () => {
    expect(hasTownPart('Keizersgracht 64')).toBe(false);
    expect(hasTownPart('Dublin 2')).toBe(true);
    expect(addressUnderAName('74 Raffles Place, #40-29', 'Singapore 019499 J')).toBe(
      '74 Raffles Place, #40-29, Singapore 019499',
    );
  });

  it('takes the country printed after the last line on its row', () => {
    const fields = card([
      { text: 'Ito, Ryota', x: 0.11, y: 0.34, h: 0.067 },
      { text: '1-7-26 Umeda, Kita-ku, Osaka 530-0001', x: 0.115, y: 0.797, h: 0.039 },
      { text: 'Japan', x: 0.545, y: 0.796, h: 0.04 },
    ]);
    expect(fields.addr).toBe('1-7-26 Umeda, Kita-ku, Osaka 530-0001, Japan');
  });

  it('gives no address whose last line goes on (a comma, or a period after a number)', () => {
    expect(addressUnderAName('Room 807, 33 Shennan Avenue', 'Shenzhen 518048.')).toBeNull();
  });

  it('keeps a capitalised word and a state code in capitals apart (no web address "Francisco.CA")', () => {
    expect(normaliseWebText('San Francisco. CA 94105')).toBe('San Francisco. CA 94105');
    expect(normaliseWebText('acme. com')).toBe('acme.com');
    const fields = card([
      { text: 'Xiaoming Hu', x: 0.1, y: 0.3, h: 0.06 },
      { text: '162 Granville Blvd, Suite 565, San Francisco. CA 94105', x: 0.1, y: 0.8 },
    ]);
    expect(fields.addr).toBe('162 Granville Blvd, Suite 565, San Francisco, CA 94105');
    expect(fields.url).toBeNull();
  });
});

describe('company lines: a logo read as characters in front', () => {
  it('drops two or three characters of no word read with little confidence in front of the name', () => {
    const company = (text: string, confidence = 60) =>
      card([
        { text, x: 0.1, y: 0.1, h: 0.05, confidence },
        { text: 'Joost ter Horst', x: 0.1, y: 0.3, h: 0.06 },
      ]).company;
    expect(company('4p TIDEWATER SYSTEMS PVT. LTD.')).toBe('TIDEWATER SYSTEMS PVT. LTD.');
    expect(company('lJ Juniper Analytics S.L.')).toBe('Juniper Analytics S.L.');
    expect(company('3M Company', 95)).toBe('3M Company');
    expect(company('J. Walter Thompson Inc.')).toBe('J. Walter Thompson Inc.');
  });
});

describe('company lines: marks after the name, taglines and cut titles', () => {
  it('drops marks read off a logo after the name, and scraps after a legal form', () => {
    expect(tidyCompany('Hikari Biotech »')).toBe('Hikari Biotech');
    expect(tidyCompany('Hikari Biotech » h')).toBe('Hikari Biotech');
    expect(tidyCompany('Longmen Systems Ltd TT ™')).toBe('Longmen Systems Ltd');
    expect(tidyCompany('Kessler & Partner GmbH')).toBe('Kessler & Partner GmbH');
    expect(tidyCompany('Studio 54 AG')).toBe('Studio 54 AG');
  });

  it('takes no tagline or cut title for a company', () => {
    expect(isPhrase('Engineering the everyday')).toBe(true);
    expect(isPhrase('Marketing Coordi')).toBe(true);
    expect(isPhrase('uniper Analytics')).toBe(false);
    expect(isPhrase('Bank of Asia Systems')).toBe(false);
    expect(isPhrase('Hanbit Engineering')).toBe(false);
  });

  it("takes no legal form alone for a company, and keeps one on the company's row", () => {
    const company = (...lines: PrintedLine[]) =>
      card([{ text: 'Grace Oakley', x: 0.1, y: 0.4, h: 0.06 }, ...lines]).company;
    expect(company({ text: 'Pvt. Ltd', x: 0.5, y: 0.1 })).toBeNull();
    expect(company({ text: 'Longmen Architects', x: 0.1, y: 0.1, more: [{ text: 'Pvt. Ltd.', x: 0.34 }] })).toBe(
      'Longmen Architects Pvt. Ltd.',
    );
  });
});

describe('names and mailboxes: third batch', () => {
  it('splits a name with a capital I read as l from its title on one line', () => {
    const fields = card([{ text: 'Kavya lyer | Lead UX Researcher', x: 0.1, y: 0.3, h: 0.05 }]);
    expect(fields.name).toBe('Kavya Iyer');
    expect(fields.job_title).toBe('Lead UX Researcher');
  });

  it('takes a name whose accented letters end in a legal form\'s letters ("Thérèse" is no company "SE")', () => {
    const fields = card([
      { text: 'STONEBRIDGE DAC', x: 0.1, y: 0.12, h: 0.06 },
      { text: 'Marie-Thérèse Drummond', x: 0.1, y: 0.4, h: 0.08 },
      { text: 'Consultant, Digital Transformation', x: 0.1, y: 0.52 },
      { text: 'mariethrsed@stonebridge.com', x: 0.1, y: 0.84 },
    ]);
    expect(fields.name).toBe('Marie-Thérèse Drummond');
    expect(fields.company).toBe('STONEBRIDGE DAC');
  });

  it('keeps a mailbox that runs the name together, and reads a doubled @ as one', () => {
    const email = (text: string) =>
      card([
        { text: 'Ryota Ito', x: 0.1, y: 0.3, h: 0.06 },
        { text, x: 0.1, y: 0.8 },
      ]).email;
    expect(email('itoryota@redkite.com')).toBe('itoryota@redkite.com');
    expect(normaliseWebText('leiz@@northgate.ca')).toBe('leiz@northgate.ca');
  });
});

describe('mailboxes cut or with a mark in front', () => {
  const email = (text: string, name = 'Ananya Krishnan') =>
    card([
      { text: name, x: 0.1, y: 0.3, h: 0.06 },
      { text, x: 0.1, y: 0.8 },
    ]).email;

  it('drops a mark glued in front of a mailbox the name spells', () => {
    expect(email('fananya@redkitemerriman.com.sg')).toBe('ananya@redkitemerriman.com.sg');
    expect(email('akrishnan@redkite.com')).toBe('akrishnan@redkite.com');
  });

  it('gives no mailbox of a digit or two (the rest of it was cut)', () => {
    expect(email('2@redkitefoods.ca', 'Ruby Garrison')).toBeNull();
    expect(email('ruby2@redkitefoods.ca', 'Ruby Garrison')).toBe('ruby2@redkitefoods.ca');
  });
});

describe('a mailbox read with little confidence', () => {
  const printed = (mailbox: string): PrintedLine[] => [
    { text: 'Jane Doe', x: 0.1, y: 0.2, h: 0.07 },
    { text: 'Solutions Architect', x: 0.1, y: 0.3 },
    { text: mailbox, x: 0.1, y: 0.6, confidence: 60 },
    { text: 'www.acme.com', x: 0.1, y: 0.7 },
  ];
  const rereads = async (mailbox: string) => {
    const refine = vi.fn(async () => [] as OcrLine[]);
    const fields = await extractCardFieldsAsync(cardLines(printed(mailbox)), { refine });
    return { fields, regions: refine.mock.calls.length };
  };

  it('is not re-read when the web address has its domain and the name spells its mailbox', async () => {
    expect(await rereads('jane.doe@acme.com')).toMatchObject({ fields: { email: 'jane.doe@acme.com' }, regions: 0 });
    expect(await rereads('jdoe@acme.com')).toMatchObject({ fields: { email: 'jdoe@acme.com' }, regions: 0 });
  });

  it('is re-read when either reading disagrees', async () => {
    expect((await rereads('jane.dce@acme.com')).regions).toBeGreaterThan(0);
    expect((await rereads('jane.doe@acme.co')).regions).toBeGreaterThan(0);
  });
});

describe('names, titles and companies: validation batch', () => {
  it('splits a name written family name first, with its comma, from its title on one line', () => {
    const fields = card([{ text: 'Tanaka, Hiroshi | Senior Product Designer', x: 0.1, y: 0.3, h: 0.05 }]);
    expect(fields.name).toBe('Tanaka, Hiroshi');
    expect(fields.job_title).toBe('Senior Product Designer');
  });

  it('drops a logo glyph read as an opening bracket glued to the first word of a company line', () => {
    expect(tidyCompany('[HARBORLIGHT CO., LTD.')).toBe('HARBORLIGHT CO., LTD.');
    expect(tidyCompany('(Harborlight) Holdings')).toBe('(Harborlight) Holdings');
  });

  it('spells a company word like its domain when the OCR lost or misread a letter of it', () => {
    const company = (text: string, email: string) =>
      card([
        { text: 'Grace Oakley', x: 0.1, y: 0.2, h: 0.06 },
        { text, x: 0.1, y: 0.4, confidence: 70 },
        { text: email, x: 0.1, y: 0.8 },
      ]).company;
    expect(company('Ahgrove Dynamics Ltd.', 'grace@ashgrove.ca')).toBe('Ashgrove Dynamics Ltd.');
    expect(company('Kestrel & Ambrse', 'grace@kestrelambrose.com')).toBe('Kestrel & Ambrose');
    expect(company('Kestrel & Ambrose', 'grace@kestrelambrose.com')).toBe('Kestrel & Ambrose');
  });

  it("puts back the first letters of a name the mailbox spells whole, not a given name's", () => {
    const name = (text: string, email: string) =>
      card([
        { text, x: 0.3, y: 0.2, h: 0.06 },
        { text: email, x: 0.3, y: 0.8 },
      ]).name;
    expect(name('RNELIUS BRANDT', 'cornelius@brandt-works.com')).toBe('CORNELIUS BRANDT');
    expect(name('Rnelius Brandt', 'c.brandt@brandt-works.com')).toBe('Rnelius Brandt');
    expect(name('SMITH Jo', 'josmith@brandt-works.com')).toBe('SMITH Jo');
  });

  it('reads a legal form whose t was read as i or l, and a mark like » in front', () => {
    expect(tidyCompany('Harrowgate Lid')).toBe('Harrowgate Ltd');
    expect(tidyCompany('» Harrowgate Ply Lig')).toBe('Harrowgate Pty Ltd');
    expect(tidyCompany('HARROWGATE PLY LID')).toBe('HARROWGATE PTY LTD');
    expect(tidyCompany('Harrowgate Ltd.')).toBe('Harrowgate Ltd.');
  });

  it("drops a scrap before a name whose mailbox starts with the name's next word", () => {
    expect(withoutScrapBeforeName('EE PARK Tae-hyun', 'parktaehyun')).toBe('PARK Tae-hyun');
    expect(withoutScrapBeforeName('Be Bruno da Costa', 'bruno7')).toBe('Bruno da Costa');
    // The mailbox spells the short word, or does not start with the next.
    expect(withoutScrapBeforeName('Le Van Minh', 'vanminh.le')).toBe('Le Van Minh');
    expect(withoutScrapBeforeName('Al Bruno Costa', 'abruno')).toBe('Al Bruno Costa');
    expect(withoutScrapBeforeName('Bruno da Costa', 'bruno')).toBe('Bruno da Costa');
  });

  it('goes on with a title that ends in a comma to its next piece on the row, a company word and all', () => {
    const fields = card([
      { text: 'A.B. Szymanski', x: 0.407, y: 0.32, h: 0.037 },
      { text: 'Vice President,', x: 0.408, y: 0.382, h: 0.027 },
      { text: 'Human Resources', x: 0.52, y: 0.373, h: 0.029 },
      { text: 'Shearwater Orthopedics Pty Ltd', x: 0.15, y: 0.585, h: 0.017 },
      { text: 'e-mail a.szymanski@shearwater.com.au', x: 0.408, y: 0.766, h: 0.025 },
    ]);
    expect(fields.job_title).toBe('Vice President, Human Resources');
    expect(fields.company).toBe('Shearwater Orthopedics Pty Ltd');
  });

  it("takes the company line the mail domain spells after a logo's two small marks", () => {
    const company = (line: string) =>
      card([
        { text: line, x: 0.236, y: 0.338, h: 0.05, confidence: 86 },
        { text: 'Per-Olof Sutherland', x: 0.224, y: 0.502, h: 0.06 },
        { text: 'perolof.sutherland@marrowbywainwright.io', x: 0.202, y: 0.745, h: 0.03 },
      ]).company;
    expect(company('ol Marrowby & Wainwright')).toBe('Marrowby & Wainwright');
    // Not a name's two capitals in front of a shorter domain's word.
    expect(company('JP Marrowby')).not.toBe('Marrowby');
  });

  it('joins a company name cut before its last letter, and takes no piece of the web address for the company', () => {
    const company = (lines: PrintedLine[]) =>
      card([
        ...lines,
        { text: "JASPER O'HALLORAN", x: 0.227, y: 0.32, h: 0.06 },
        { text: 'E j.ohalloran@marrowby.com', x: 0.223, y: 0.564, h: 0.03 },
      ]).company;
    expect(
      company([
        { text: 'Marrowb', x: 0.23, y: 0.108, h: 0.064, confidence: 86 },
        { text: 'y Put. Ltd.', x: 0.358, y: 0.115, h: 0.064, confidence: 89 },
      ]),
    ).toBe('Marrowby Pvt. Ltd.');
    const larkspur = card([
      { text: 'Larkspy, Aerospace S.L', x: 0.26, y: 0.315, h: 0.06, confidence: 81 },
      { text: 'Ludwig von Stein', x: 0.253, y: 0.441, h: 0.07 },
      { text: 'Email: l.vonstein@larkspur-aerospace.es', x: 0.2, y: 0.642, h: 0.03 },
      { text: 'larks', x: 0.3, y: 0.694, h: 0.032, confidence: 60 },
    ]);
    expect(larkspur.company).toMatch(/^Larksp.* Aerospace S\.L\.$/);
  });

  it('takes the title printed under the name over a tagline with a title word under the company', () => {
    const fields = card([
      { text: 'SILVERMOON S.L.', x: 0.233, y: 0.153, h: 0.023 },
      { text: 'Trusted advisor', x: 0.239, y: 0.19, h: 0.013 },
      { text: 'Marie-Thérèse Thistlewood', x: 0.242, y: 0.394, h: 0.026 },
      { text: 'Vice President, Human Resources', x: 0.241, y: 0.439, h: 0.021 },
      { text: 'mariethrse@silvermoon.com', x: 0.289, y: 0.651, h: 0.021 },
    ]);
    expect(fields.job_title).toBe('Vice President, Human Resources');
  });

  it('drops a phone icon read as a 0 before a North American number on a card from there', () => {
    const phone = (address: string[]) =>
      card([
        { text: 'Jang Tae-hyun', x: 0.1, y: 0.2, h: 0.06 },
        { text: '0678-555-0120', x: 0.1, y: 0.5, h: 0.03 },
        ...address.map((text, k) => ({ text, x: 0.1, y: 0.6 + 0.05 * k, h: 0.03 })),
      ]).phone_number;
    expect(phone(['278 Tanner Street', 'Cincinnati, OH 45202'])).toBe('678-555-0120');
    expect(phone(['12 Mill Road', 'Sheffield S1 2HE'])).toBe('0678-555-0120');
  });

  it('reads back slips of the fresh validation seed: phone spaces, title words, a double name, a town, a road, Ltd', () => {
    const fields = (lines: PrintedLine[]) =>
      card([{ text: 'Fletcher Vasquez-lbarra', x: 0.1, y: 0.2, h: 0.06 }, ...lines]);
    const phone = (text: string) => fields([{ text, x: 0.1, y: 0.6 }]).phone_number;
    expect(phone('Tel. +1(967) 555-0192')).toBe('+1 (967) 555-0192');
    expect(phone('M +49 151 7733 35 34')).toBe('+49 151 7733 3534');
    expect(phone('T +49 30 7733 35 34')).toBe('+49 30 7733 35 34');
    // Two numbers on one row read as one run.
    const two = fields([{ text: '+61 2 1475 3597 0490 868 889', x: 0.1, y: 0.6 }]).phones.map((p) => p.number);
    expect(two).toEqual(['+61 2 1475 3597', '0490 868 889']);
    const title = (text: string) => fields([{ text, x: 0.1, y: 0.3, h: 0.03 }]).job_title;
    expect(title('Kev Account Manager')).toBe('Key Account Manager');
    expect(title('Associate Director, Climical Affairs')).toBe('Associate Director, Clinical Affairs');
    expect(title('Consultant, Digital Transtormation')).toBe('Consultant, Digital Transformation');
    expect(fields([]).name).toBe('Fletcher Vasquez-Ibarra');
    expect(card([{ text: 'HWANG Ye-lin', x: 0.1, y: 0.2, h: 0.06 }]).name).toBe('HWANG Ye-lin');
    expect(repairCityName('305 Mill Road, Shefield, S1 2HE, UK')).toBe('305 Mill Road, Sheffield, S1 2HE, UK');
    expect(repairStreetWords('354 Renmin South Read')).toBe('354 Renmin South Road');
    expect(tidyCompany('WRENFIELD THERAPEUTICS CO., UD.')).toBe('WRENFIELD THERAPEUTICS CO., LTD.');
  });

  it('joins a country code read apart from its number on a turned photo', () => {
    const phone = (numberAt: { x: number; y: number }) =>
      card([
        { text: 'Larkspur Aerospace S.L.', x: 0.26, y: 0.315, h: 0.086 },
        { text: 'Ludwig von Stein', x: 0.253, y: 0.441, h: 0.091 },
        { text: 'Email: l.vonstein@larkspur-aerospace.es', x: 0.2, y: 0.642, h: 0.04 },
        { text: 'Tel. +34', x: 0.305, y: 0.731, h: 0.036 },
        { text: '91 602 94 85', ...numberAt, h: 0.041 },
      ]).phone_number;
    expect(phone({ x: 0.394, y: 0.75 })).toBe('+34 91 602 94 85');
    // A trunk zero in brackets after the code, a wider gap before it ("Tel. +49" | "(0)89 2832 3360").
    const german = card([
      { text: 'Konrad von Stein', x: 0.243, y: 0.386, h: 0.03 },
      { text: 'Tel. +49', x: 0.236, y: 0.691, h: 0.017 },
      { text: '(0)89 2832 3360', x: 0.302, y: 0.693, h: 0.016 },
    ]);
    expect(german.phone_number).toBe('+49 (0)89 2832 3360');
    // Not a number on the row below, nor one far across.
    expect(phone({ x: 0.394, y: 0.8 })).toBe('91 602 94 85');
    expect(phone({ x: 0.7, y: 0.75 })).toBe('91 602 94 85');
  });

  it('reads a title word with one letter wrong, and a comma read as a period, in a title', () => {
    const title = (text: string) =>
      card([
        { text: 'Grace Oakley', x: 0.1, y: 0.2, h: 0.06 },
        { text, x: 0.1, y: 0.3, h: 0.03 },
      ]).job_title;
    expect(title('Lead Interaction Designel')).toBe('Lead Interaction Designer');
    expect(title('Senior Engineer. Platforms')).toBe('Senior Engineer, Platforms');
    expect(title('Asst. Manager')).toBe('Asst. Manager');
    // A shorter word only by a letter read as a like one (t for f).
    expect(title('Staft Scientist, Genomics')).toBe('Staff Scientist, Genomics');
    expect(title('Chiet Technology Officer')).toBe('Chief Technology Officer');
    expect(title('Chiel Technology Officer')).toBe('Chiel Technology Officer');
    // A double letter (a ligature in many fonts) read once.
    expect(title('Chief Revenue Oficer')).toBe('Chief Revenue Officer');
    expect(title('CHIEF REVENUE OFICER')).toBe('CHIEF REVENUE OFFICER');
    // A shared role's hyphen lost.
    expect(title('Co Founder & Chief Scientist')).toBe('Co-Founder & Chief Scientist');
    expect(title('Head of Co Marketing')).toBe('Head of Co Marketing');
  });

  it('takes no company line without a capital, and a logo letter in front of the name the domain spells', () => {
    const company = (text: string, email = 'grace@gmail.com') =>
      card([
        { text: 'Grace Oakley', x: 0.1, y: 0.2, h: 0.06 },
        { text, x: 0.1, y: 0.4 },
        { text: email, x: 0.1, y: 0.8 },
      ]).company;
    expect(company('telecom es')).toBeNull();
    expect(company('Harrowgate Telecom')).toBe('Harrowgate Telecom');
    expect(company('A HARROWGATE POTTERY', 'grace@harrowgate.com')).toBe('HARROWGATE POTTERY');
  });

  it('takes a legal form of several words printed apart on the company\'s row ("GmbH & Co. KG")', () => {
    const fields = card([
      { text: '© Cindervalc', x: 0.09, y: 0.3, h: 0.1, confidence: 63 },
      { text: 'GmbH & Co. KG', x: 0.511, y: 0.36, h: 0.034 },
      { text: 'Hafiz bin Yusof', x: 0.38, y: 0.46, h: 0.041 },
      { text: 'hafizb@cindervale.com', x: 0.42, y: 0.78, h: 0.027 },
    ]);
    expect(fields.company).toBe('Cindervale GmbH & Co. KG');
  });

  it('prefers a company line read with confidence to a bigger wordmark read with next to none', () => {
    const lines = cardLines([
      { text: 'Harrowgatc', x: 0.1, y: 0.1, h: 0.08, confidence: 14 },
      { text: 'Harrowgate GmbH & Co. KG', x: 0.1, y: 0.2, h: 0.03 },
      { text: 'Grace Oakley', x: 0.1, y: 0.4, h: 0.05 },
      { text: 'grace@harrowgate.de', x: 0.1, y: 0.8 },
    ]);
    expect(extractCardFields(lines).company).toBe('Harrowgate GmbH & Co. KG');
  });

  it("joins no smaller print after a title on its line (an address's)", () => {
    const lines = cardLines([
      { text: 'Grace Oakley', x: 0.1, y: 0.2, h: 0.06 },
      { text: 'Senior Counsel', x: 0.1, y: 0.3, h: 0.03, more: [{ text: 'sor prestige pars', x: 0.3 }] },
    ]);
    for (const w of lines[1].words.slice(2)) w.box = { ...w.box, top: 0.31, height: 0.012 };
    expect(extractCardFields(lines).job_title).toBe('Senior Counsel');
  });

  it('completes the last word of a title cut by one letter, not by two', () => {
    const title = (text: string) =>
      card([
        { text: 'Grace Oakley', x: 0.1, y: 0.2, h: 0.06 },
        { text, x: 0.1, y: 0.3, h: 0.03 },
      ]).job_title;
    expect(title('Senior Research Associat')).toBe('Senior Research Associate');
    expect(title('Head of Design')).toBe('Head of Design');
  });

  it('reads an I read as a backslash between capitals in a company line', () => {
    expect(tidyCompany('BR\\GHTWATER ADVISORS')).toBe('BRIGHTWATER ADVISORS');
    expect(tidyCompany('NORTH | SOUTH')).toBe('NORTH | SOUTH');
  });

  it('takes a name line ending in the separator before a lost title for the name, over bigger capitalised words', () => {
    const fields = card([
      { text: 'Harrowgate Pottery', x: 0.14, y: 0.24, h: 0.05 },
      { text: 'A.B. Quarshie |', x: 0.14, y: 0.75, h: 0.016 },
    ]);
    expect(fields.name).toBe('A.B. Quarshie');
  });
});

describe('a web name a letter off the company line', () => {
  const withUrl = (confidence: number, companyConfidence = 95) =>
    card([
      { text: 'Redkite Labs', x: 0.11, y: 0.27, h: 0.07, confidence: companyConfidence },
      { text: 'Pieter de Vries', x: 0.12, y: 0.42, h: 0.066 },
      { text: 'E: p.devries@gmail.com', x: 0.13, y: 0.69, h: 0.03 },
      { text: 'tedkitelabs.es', x: 0.13, y: 0.73, h: 0.023, confidence },
    ]).url;

  it('takes the spelling of a company line read well when it was read poorly', () => {
    expect(withUrl(40)).toBe('redkitelabs.es');
  });

  it('keeps a web name read well, or beside a company line read poorly', () => {
    expect(withUrl(90)).toBe('tedkitelabs.es');
    expect(withUrl(40, 70)).toBe('tedkitelabs.es');
  });
});

describe('web addresses and mailboxes: a validation batch', () => {
  const fieldsOf = (lines: string[], name = 'Jane Doe') =>
    card([{ text: name, x: 0.1, y: 0.2, h: 0.07 }, ...lines.map((text, i) => ({ text, x: 0.1, y: 0.6 + 0.08 * i }))]);

  it("reads a country code read with a slip after its second level (com sq) as the country's", () => {
    expect(normaliseWebText('www northwind com sq')).toBe('www.northwind.com.sg');
    expect(urlsIn(seg('www.northwind.com.sq')).map((h) => h.value)).toEqual(['www.northwind.com.sg']);
  });

  it('reads a scheme whose slashes were read as a letter or quote marks', () => {
    expect(normaliseWebText('@ https /Awww northwind.com.my')).toBe('@ https://www.northwind.com.my');
    expect(normaliseWebText('@ https /mww northwind.com.my')).toBe('@ https://www.northwind.com.my');
    expect(normaliseWebText("Web: https: 'northwind.com")).toBe('Web: https://northwind.com');
    expect(normaliseWebText('https: northwind.com.au')).toBe('https://northwind.com.au');
  });

  it('reads a scheme with slips before the mail domain as the web address on it', () => {
    expect(fieldsOf(['jane@northwind.ca', '@ hups/inorthwind ca']).url).toBe('https://northwind.ca');
    expect(fieldsOf(['jane@northwindtraders.ca', 'hitpsi/Morthwindtraders ca']).url).toBe(
      'https://northwindtraders.ca',
    );
    expect(fieldsOf(['jane@northwind.in', 'https :/lnorthwind.in']).url).toBe('https://northwind.in');
    expect(fieldsOf(['jane@northwind.ca', 'help northwind ca']).url).toBeNull();
  });

  it('reads a quote mark between a mailbox and the host glued to it as the @', () => {
    expect(normaliseWebText('jane“northwind.com.sg')).toBe('jane@northwind.com.sg');
    expect(fieldsOf(['jane“northwind.com.sg'])).toMatchObject({ email: 'jane@northwind.com.sg', url: null });
    expect(normaliseWebText('Acme "Best" Co')).toBe('Acme "Best" Co');
  });

  it('takes no bare host of one or two letters (the end of one cut) for a web address', () => {
    expect(urlsIn(seg('om.my')).map((h) => h.value)).toEqual([]);
    expect(urlsIn(seg('www.hp.com')).map((h) => h.value)).toEqual(['www.hp.com']);
  });

  it('reads a web address in two pieces, the start and the end of the mail domain, as the web address on it', () => {
    expect(fieldsOf(['jane@northwindtraders.com', 'www.northw', 'traders.com']).url).toBe('www.northwindtraders.com');
    expect(fieldsOf(['jane@northwindtraders.com', 'www.northw', 'windtraders.com']).url).toBeNull();
  });

  it('reads a path whose slash was read as a space, and a co.uk whose dot was', () => {
    expect(fieldsOf(['jane@northwind.co.uk', 'northwind.co uk team']).url).toBe('northwind.co.uk/team');
    expect(fieldsOf(['jane@northwind.com', 'www.northwind.com Germany']).url).toBe('www.northwind.com');
  });

  it('reads a web address after a Web label without its colon, its dot read as a space', () => {
    expect(fieldsOf(['jane@northwind-traders.com', 'Web northwind-traders com/en']).url).toBe(
      'northwind-traders.com/en',
    );
  });

  it('takes no end of a host split by a space after a scheme for a web address', () => {
    expect(urlsIn(seg('[+3] https Jnorthwindtr aders.nl')).map((h) => h.value)).toEqual([]);
    expect(urlsIn(seg('northwindtraders.nl')).map((h) => h.value)).toEqual(['northwindtraders.nl']);
  });

  it('keeps a mailbox of the given name and the initial of a family name printed first', () => {
    expect(fieldsOf(['wenjiel@northwind.com'], 'Li Wenjie').email).toBe('wenjiel@northwind.com');
    expect(fieldsOf(['doej@northwind.com']).email).toBe('doej@northwind.com');
  });

  it('reads a mailbox one letter off two of the name as the one with a letter misread, not lost', () => {
    expect(fieldsOf(['pinji@northwind.com'], 'Park Min-ji').email).toBe('minji@northwind.com');
  });

  it('reads a mailbox with two letters read as one (ri as n, rn as m) as the one the name spells', () => {
    expect(fieldsOf(['dmorns@northwind.com'], 'Dana Morris').email).toBe('dmorris@northwind.com');
    expect(fieldsOf(['dana.rnorris@northwind.com'], 'Dana Morris').email).toBe('dana.rnorris@northwind.com');
    expect(fieldsOf(['dana@northwind.com'], 'Dana Morris').email).toBe('dana@northwind.com');
  });

  it('keeps a web address against a re-read that loses its scheme and leaves the mail domain', async () => {
    const printed: PrintedLine[] = [
      { text: 'Jane Doe', x: 0.1, y: 0.2, h: 0.07 },
      { text: 'jane@northwind.com', x: 0.1, y: 0.6 },
      { text: 'Web: https://www Nnorthwind.com', x: 0.1, y: 0.7, confidence: 60 },
    ];
    const refine = vi.fn(async () => cardLines([{ text: 'Webs htps:vwaenorthwind.com', x: 0.1, y: 0.7 }]));
    const fields = await extractCardFieldsAsync(cardLines(printed), { refine });
    expect(refine).toHaveBeenCalled();
    expect(fields.url).toBe('https://www.northwind.com');
  });

  it('takes no icon between a letter and a www for an @; reads a bar and a dot before a mailbox as l.', () => {
    expect(fieldsOf(['© |. mwangi@northwind.co.jp', 'L ® www.northwind.co.jp'], 'L. A. Mwangi')).toMatchObject({
      email: 'l.mwangi@northwind.co.jp',
      url: 'www.northwind.co.jp',
    });
  });

  it('gives no mailbox whose start was split off as a word the name does not complete', () => {
    expect(fieldsOf(['E: ago dacosta@northwind.nl'], 'Tiago da Costa').email).toBeNull();
    expect(fieldsOf(['E: tiago dacosta@northwind.nl'], 'Tiago da Costa').email).toBe('tiago.dacosta@northwind.nl');
  });

  it('keeps the scheme of a web address read with a bar after it', () => {
    expect(urlsIn(seg('https://www.northwind.nl|')).map((h) => h.value)).toEqual(['https://www.northwind.nl']);
  });

  it('reads a web address on the mail domain read with its top-level domain one letter off and its dot as a space', () => {
    expect(fieldsOf(['E: jane@northwind-traders.jp', 'northwind-traders jo/en']).url).toBe('northwind-traders.jp/en');
    expect(fieldsOf(['E: jane@northwind-traders.jp', 'northwind-tradens jo/en']).url).toBeNull();
  });

  it('reads a scheme with its h read as n before the mail domain', () => {
    expect(fieldsOf(['jane@northwind-traders.com', 'nips /Morthwind-traders com']).url).toBe(
      'https://northwind-traders.com',
    );
  });

  it("gives back the plus of a number that starts with the calling code of the card's country", () => {
    expect(plusRestored('60 3-4048 0824', 'my')).toBe('+60 3-4048 0824');
    expect(plusRestored('60 3-4048 0824', 'sg')).toBe('60 3-4048 0824');
    expect(plusRestored('03-4048 0824', 'my')).toBe('03-4048 0824');
    expect(fieldsOf(['jane@northwind.com.my', '60 3-4048 0824']).phone_number).toBe('+60 3-4048 0824');
  });

  it('gives no mailbox that is the end of one the name spells (its start was cut)', () => {
    expect(fieldsOf(['hyun@northwind.com'], 'Tae-hyun Jang').email).toBeNull();
    expect(fieldsOf(['taehyun@northwind.com'], 'Tae-hyun Jang').email).toBe('taehyun@northwind.com');
  });

  it("reads a 1 glued before a national number's trunk 0 as its label", () => {
    const fields = fieldsOf(['1020 070 2193']);
    expect(fields.phone_number).toBe('020 070 2193');
    expect(fields.phones[0].kind).toBe('office');
  });

  it('joins an initial in capitals read apart in front of a mailbox the name spells (J oneil@)', () => {
    expect(fieldsOf(['J oneil@northwind.com'], "JOHN O'NEIL").email).toBe('j.oneil@northwind.com');
  });
});

/** A one-line segment of `text`, for the finders that take segments. */
function seg(text: string) {
  return {
    text,
    words: [],
    box: { left: 0, top: 0, width: 1, height: 0.04 },
    size: 0.04,
    line: 0,
    order: 0,
    column: 0,
  };
}
