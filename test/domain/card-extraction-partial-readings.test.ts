import { describe, expect, it, vi } from 'vitest';
import {
  capitalsRead,
  hasStreetPart,
  hasTownPart,
  isWholeAddress,
  joinSplitPostcode,
  onesInPostcodes,
  postcodeMisread,
  repairAddressSlips,
  startsCut,
  townLost,
  withoutTrailingPeriod,
} from '../../src/domain/card-extraction/address.js';
import {
  endsCut,
  extractCardFields,
  extractCardFieldsAsync,
  tidyCompany,
  withFrontsKept,
} from '../../src/domain/card-extraction/index.js';
import { knownTopLevel, localPartsFor } from '../../src/domain/card-extraction/web.js';
import type { OcrBox, OcrLine } from '../../src/ports/ocr.js';
import { cardLines, type PrintedLine } from './card-extraction-lines.js';

const card = (lines: PrintedLine[]) => extractCardFields(cardLines(lines));

describe('mailboxes built from the name', () => {
  it('knows the given name and the family initial, and a family name printed first', () => {
    expect(localPartsFor(['Padraig', "O'Brien"])).toContain('padraigo');
    expect(localPartsFor(['LIN', 'Lei'])).toContain('l.lin');
    expect(localPartsFor(['HWANG,', 'Tae-yang'])).toContain('t.hwang');
    // A family name with its particles is one word in a mailbox; family name and given name run together.
    expect(localPartsFor(['Pieter', 'de', 'Vries'])).toContain('p.devries');
    expect(localPartsFor(['Ahmad', 'bin', 'Hamid'])).toContain('abinhamid');
    expect(localPartsFor(['Joost', 'ter', 'Horst'])).toContain('joost.terhorst');
    expect(localPartsFor(['Tae-yang', 'Kim'])).toContain('kimtaeyang');
    // Given name first: no reversed forms.
    expect(localPartsFor(['Lei', 'Lin'])).not.toContain('l.lei');
  });

  it('restores a letter lost from a given-name-and-initial mailbox', () => {
    const fields = card([
      { text: 'Nordhavn DAC', x: 0.4, y: 0.29, h: 0.045 },
      { text: "Padraig O'Brien", x: 0.36, y: 0.39, h: 0.08 },
      { text: 'padrago@nordhavn.com', x: 0.44, y: 0.71, confidence: 40 },
    ]);
    expect(fields.email).toBe('padraigo@nordhavn.com');
  });

  it('does not change the last letter of a mailbox to the initial of a name word', () => {
    const fields = card([
      { text: 'Bluestone Software', x: 0.1, y: 0.1, h: 0.05 },
      { text: 'Amir bin Yusof', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'amirb@bluestone.com', x: 0.1, y: 0.7 },
    ]);
    expect(fields.email).toBe('amirb@bluestone.com');
  });

  it('reads a stroke or period apart before a mailbox as an initial and its period, when the name spells it', () => {
    const mailOf = (name: string, mail: string) =>
      card([
        { text: 'Beacon Hill Telecom', x: 0.3, y: 0.1, h: 0.06 },
        { text: name, x: 0.28, y: 0.52, h: 0.06 },
        { text: mail, x: 0.345, y: 0.81, h: 0.03, confidence: 73 },
      ]).email;
    expect(mailOf('Jasper Thistlewood', 'E | thistlewood@gmail.com')).toBe('j.thistlewood@gmail.com');
    // No stroke, or a name whose initial is no narrow letter: the mailbox as read.
    expect(mailOf('Jasper Thistlewood', 'E thistlewood@gmail.com')).toBe('thistlewood@gmail.com');
    expect(mailOf('Mark Thistlewood', 'E | thistlewood@gmail.com')).toBe('thistlewood@gmail.com');
    // An initial lost and its period read apart: any initial the name spells.
    expect(mailOf('Mark Thistlewood', 'e-mail . thistlewood@gmail.com')).toBe('m.thistlewood@gmail.com');
  });

  it('reads an initial and its period run together into a capital as the initial ("Llin@" for l.lin)', () => {
    const fields = card([
      { text: 'Lindenhof Pty Ltd', x: 0.13, y: 0.35, h: 0.04 },
      { text: 'LIN Lei', x: 0.13, y: 0.48, h: 0.04 },
      { text: 'Llin@lindenhof.com.au', x: 0.13, y: 0.72, h: 0.018 },
    ]);
    expect(fields.email).toBe('l.lin@lindenhof.com.au');
  });
});

describe('addresses read in part', () => {
  it('needs a town, postcode or country to give an address', () => {
    expect(hasTownPart('85 Bay Street')).toBe(false);
    expect(hasTownPart('Street, Suite 2570')).toBe(false);
    expect(hasTownPart('6F, 58 Jalan Binjai')).toBe(false);
    expect(hasTownPart('6F, 58 Jalan Binjai, 50450 Kuala Lumpur')).toBe(true);
    // A town of the gazetteer as a part of its own.
    expect(hasTownPart('260 Beacon Place, Sheffield')).toBe(true);
    expect(hasTownPart('260 Beacon Place, Sheffield Works')).toBe(false);
    expect(hasTownPart('85 London Road')).toBe(false);
    expect(hasTownPart('Rue Sherbrooke Ouest, Montreal, QC')).toBe(true);
    expect(hasTownPart('443 Grand Canal Street, Dublin 2')).toBe(true);
    expect(hasTownPart('30 Queen Blvd, Suite 296, San Francisco, CA 94105')).toBe(true);
    expect(hasTownPart('12 Floor GS Tower, 508 Nonhyeon-ro, Gangnam-gu, Seoul 06141, Korea')).toBe(true);
    expect(hasTownPart('Floor 9, 310 Queen Street, Brisbane QLD 4000')).toBe(true);
  });

  it('takes a first line that starts inside a word or with the street type as cut', () => {
    expect(startsCut('seo de la Castellana 172, 28046 Madrid, Spain')).toBe(true);
    expect(startsCut('-3-27 Marunouchi, Chiyoda-ku, Tokyo 100-6390, Japan')).toBe(true);
    expect(startsCut('Street, Suite 357, Denver, CO 80202')).toBe(true);
    expect(startsCut('9 Level 37 46 Jalan Biya, 50450 Kuala Lumpur, Malaysia')).toBe(true);
    expect(startsCut('Level 37, 46 Jalan Binjai, 50450 Kuala Lumpur, Malaysia')).toBe(false);
    expect(startsCut('46 Suite Street, Leeds, LS1 2HT')).toBe(false);
    expect(startsCut('Paseo de la Castellana 172, 28046 Madrid, Spain')).toBe(false);
    expect(startsCut('Rue de Rivoli 10, 75001 Paris')).toBe(false);
    expect(isWholeAddress('4-3-27 Marunouchi, Chiyoda-ku, Tokyo 100-6390, Japan')).toBe(true);
  });

  it('needs a street part too: the town alone is the end of an address whose street lines were lost', () => {
    expect(hasStreetPart('Shenzhen 518048 China')).toBe(false);
    expect(hasStreetPart('Seoul 06236, South Korea')).toBe(false);
    expect(hasStreetPart('Calle Larios 9, 29005 Malaga, Spain')).toBe(true);
    expect(hasStreetPart('Am Sandtorkai 72, 20457 Hamburg')).toBe(true);
    expect(hasStreetPart('58 Jalan Binjai, 50450 Kuala Lumpur')).toBe(true);
    expect(hasStreetPart('12 Floor GS Tower, 508 Nonhyeon-ro, Gangnam-gu, Seoul 06141, Korea')).toBe(true);
    expect(isWholeAddress('Shenzhen 518048, China')).toBe(false);
  });

  it('takes no postcode-and-town line or Korean district for the street', () => {
    expect(hasStreetPart('5002 Parts, France')).toBe(false);
    expect(hasStreetPart('1016 GD Amsterdam, Netherlands')).toBe(false);
    expect(hasStreetPart('Gangnam-gu, Scoul 06236')).toBe(false);
    expect(hasStreetPart('103 rue de la Paix, 75002 Paris, France')).toBe(true);
    expect(hasStreetPart('Keizersgracht 477, 1016 GD Amsterdam, Netherlands')).toBe(true);
    expect(hasStreetPart('15F, 124 Teheran-ro, Gangnam-gu, Seoul 06236, South Korea')).toBe(true);
  });

  it('takes a postcode read in part as a town lost', () => {
    expect(townLost('4-4-27 Umeda, Kita-ku, 0001, Japan')).toBe(true);
    expect(townLost('4-4-27 Umeda, Kita-ku, 0-0001, Japan')).toBe(true);
    expect(townLost('4-4-27 Umeda, Kita-ku, 530-0001, Japan')).toBe(true);
    expect(townLost('443 Grand Canal Street, Dublin 2, D02')).toBe(true);
    expect(townLost('443 Grand Canal Street, Dublin 2, D02 X576')).toBe(false);
    expect(townLost('21F, 6 Jalan Binjai, 50450 Kuala Lumpur')).toBe(false);
    expect(isWholeAddress('4-4-27 Umeda, Kita-ku, Osaka 530-0001, Japan')).toBe(true);
  });

  it('restores the comma between a postcode and the country', () => {
    const fields = card([
      { text: 'Kaizen Ltd.', x: 0.4, y: 0.25, h: 0.03 },
      { text: 'Lisa-Marie Thornbury', x: 0.17, y: 0.38, h: 0.08 },
      { text: '256 Shennan Avenue, Futian District', x: 0.2, y: 0.71, h: 0.024 },
      { text: 'Shenzhen 518048 China', x: 0.2, y: 0.75, h: 0.024 },
    ]);
    expect(fields.addr).toBe('256 Shennan Avenue, Futian District, Shenzhen 518048, China');
  });

  it('gives no address when only its street line was read', () => {
    const fields = card([
      { text: 'Kaizen Ltd.', x: 0.4, y: 0.25, h: 0.03 },
      { text: 'Lisa-Marie Thornbury', x: 0.17, y: 0.38, h: 0.08 },
      { text: '85 Bay Street', x: 0.2, y: 0.71, h: 0.024 },
    ]);
    expect(fields.addr).toBeNull();
  });

  it('leaves out a second, unsure reading over a line of the address', () => {
    const fields = card([
      { text: 'Northgate Materials', x: 0.17, y: 0.24, h: 0.04 },
      { text: 'Molly Ellison', x: 0.16, y: 0.45, h: 0.05 },
      { text: 'Share 079535', x: 0.15, y: 0.665, h: 0.03, confidence: 38 },
      { text: '1 Anson Road, #26-52', x: 0.15, y: 0.67, h: 0.026 },
      { text: 'Singapore 079539', x: 0.15, y: 0.71, h: 0.028 },
    ]);
    expect(fields.addr).toBe('1 Anson Road, #26-52, Singapore 079539');
  });
});

describe('company lines cut in two', () => {
  it('joins a word the OCR cut into two pieces of the row when it is a legal form or company word', () => {
    const fields = card([
      // Read as two lines: the row's end apart, a little lower.
      { text: 'Bluestone Mobility L', x: 0.15, y: 0.22, h: 0.05 },
      { text: 'LC', x: 0.44, y: 0.23, h: 0.03 },
      { text: 'Sneha Banerjee', x: 0.16, y: 0.36, h: 0.06 },
      { text: 'snehab@bluestone-mobility.co', x: 0.22, y: 0.57, h: 0.03 },
    ]);
    expect(fields.company).toBe('Bluestone Mobility LLC');
    const ventures = card([
      { text: 'HIKARI VE', x: 0.24, y: 0.29, h: 0.037 },
      { text: 'NTURES CO., LTD.', x: 0.345, y: 0.265, h: 0.05 },
      { text: "Leah O'Neill", x: 0.24, y: 0.42, h: 0.042 },
      { text: 'E leaho@hikari-ventures.co.kr', x: 0.23, y: 0.68, h: 0.026 },
    ]);
    expect(ventures.company).toBe('HIKARI VENTURES CO., LTD.');
  });

  it('keeps apart two words of a row that make no company word together', () => {
    const fields = card([
      { text: 'Bluestone Mobility', x: 0.15, y: 0.22, h: 0.05 },
      { text: 'Inc', x: 0.44, y: 0.225, h: 0.045 },
      { text: 'Sneha Banerjee', x: 0.16, y: 0.36, h: 0.06 },
    ]);
    // (Inc's period, lost, is given back.)
    expect(fields.company).toBe('Bluestone Mobility Inc.');
  });
});

describe('mailbox repairs by the name, kept apart from initials', () => {
  it('repairs a last letter misread when it is no initial of the name', () => {
    const fields = card([
      { text: 'Merlion & Ellison', x: 0.1, y: 0.1, h: 0.05 },
      { text: 'Chloe Hartley', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'chartlev@merlionellison.com', x: 0.1, y: 0.7 },
    ]);
    expect(fields.email).toBe('chartley@merlionellison.com');
  });

  it('takes a digit glued to a lower-case start as a cut address line', () => {
    expect(startsCut('3seo de la Castellana 172, 28046 Madrid')).toBe(true);
    expect(startsCut('3rd Floor, 12 King Street, Leeds LS1 4AP')).toBe(false);
    expect(startsCut('11th Floor, Brigade Centre, Bengaluru 560001')).toBe(false);
  });
});

describe('address starts read as marks', () => {
  it('takes a mark in place of a first letter as a cut start, not a unit sign', () => {
    expect(startsCut('>aseo de la Castellana 172, 28046 Madrid')).toBe(true);
    expect(startsCut('#05-01 Anson Tower, Singapore 079539')).toBe(false);
  });
});

describe('a re-read of a value whose start was lost', () => {
  it('opens the crop to the label on the left and reads it larger, after the usual crops', async () => {
    const lines = cardLines([
      { text: 'Indigo Labs S.A.', x: 0.16, y: 0.16, h: 0.06 },
      { text: 'C. X. Brennan', x: 0.16, y: 0.43, h: 0.06 },
      { text: 'e-mail', x: 0.16, y: 0.84, h: 0.03 },
      { text: 'brennan@outlook.com', x: 0.27, y: 0.84, h: 0.03, confidence: 60 },
    ]);
    const calls: Array<{ region: OcrBox; textPx?: number }> = [];
    const refine = vi.fn(async (region: OcrBox, _angle?: number, textPx?: number) => {
      calls.push({ region, textPx });
      // Only the crop that takes in the room before the mailbox reads its first letters.
      return textPx === 64
        ? cardLines([{ text: 'c.brennan@outlook.com', x: 0.25, y: 0.84, h: 0.03 }])
        : ([] as OcrLine[]);
    });
    const fields = await extractCardFieldsAsync(lines, { refine });
    expect(fields.email).toBe('c.brennan@outlook.com');
    const last = calls[calls.length - 1];
    expect(last.textPx).toBe(64);
    // From just after the label, not into it.
    const labelRight = lines[2].box.left + lines[2].box.width;
    expect(last.region.left).toBeGreaterThan(labelRight);
    expect(last.region.left).toBeLessThan(calls[0].region.left);
  });
});

describe('a phone number read in pieces, re-read', () => {
  const h = 0.022;
  /** A card whose number was read as `head` and `rest` apart on one row; the re-read reads it whole when it takes in `rest`. */
  const card = (head: PrintedLine, rest: PrintedLine) => {
    const lines = cardLines([
      { text: 'Tae-hyun Jang', x: 0.37, y: 0.1, h: 0.1 },
      { text: 'taehyun@silvermoon.com', x: 0.38, y: 0.52, h },
      head,
      rest,
      { text: '442 Prospect Blvd', x: 0.38, y: 0.66, h },
      { text: 'Salt Lake City, UT 84111', x: 0.38, y: 0.72, h },
    ]);
    const end = lines[3].box.left + lines[3].box.width;
    const refine = vi.fn(async (region: OcrBox) =>
      cardLines([
        region.left + region.width >= end
          ? { text: '+1 (379) 555-0103', x: head.x, y: head.y, h }
          : { ...head, confidence: 30 },
      ]),
    );
    return { lines, refine };
  };

  it('is read again with the pieces of its row when no number was read whole', async () => {
    const { lines, refine } = card(
      { text: '+1 379) 5:', x: 0.38, y: 0.6, h, confidence: 24 },
      { text: '0103', x: 0.447, y: 0.607, h: 0.014 },
    );
    expect(extractCardFields(lines).phone_number).toBeNull();
    expect((await extractCardFieldsAsync(lines, { refine })).phone_number).toBe('+1 (379) 555-0103');
  });

  it('takes in its digits further off where a group between was lost', async () => {
    const { lines, refine } = card(
      { text: '+1(379)', x: 0.38, y: 0.6, h, confidence: 51 },
      { text: '0103', x: 0.474, y: 0.607, h: 0.02 },
    );
    expect((await extractCardFieldsAsync(lines, { refine })).phone_number).toBe('+1 (379) 555-0103');
  });
});

describe('a name read as no name, re-read', () => {
  const lines = () =>
    cardLines([
      { text: 'eopol 0. Holmgren', x: 0.37, y: 0.2, h: 0.1, confidence: 63 },
      { text: 'Director, Strategic Accounts', x: 0.37, y: 0.33, h: 0.03 },
      { text: 'Email: leopold@fujimoto.de', x: 0.38, y: 0.86, h: 0.03 },
    ]);

  it('re-reads the largest print left unclaimed, its start open to the left', async () => {
    const refine = vi.fn(async (region: OcrBox) =>
      cardLines([
        region.left < 0.36
          ? { text: 'Leopold O. Holmgren', x: 0.37, y: 0.2, h: 0.1, confidence: 92 }
          : { text: 'eopol 0. Holmgren', x: 0.37, y: 0.2, h: 0.1, confidence: 70 },
      ]),
    );
    expect(extractCardFields(lines()).name).toBeNull();
    expect((await extractCardFieldsAsync(lines(), { refine })).name).toBe('Leopold O. Holmgren');
  });

  it('takes no re-read name whose letters are far from the first reading (strokes read as letters)', async () => {
    for (const text of ['Ba CT', 'Maria Santos']) {
      const refine = vi.fn(async () => cardLines([{ text, x: 0.37, y: 0.2, h: 0.1, confidence: 92 }]));
      expect((await extractCardFieldsAsync(lines(), { refine })).name).toBeNull();
    }
  });

  it('stays null when the re-read reads no name either', async () => {
    const refine = vi.fn(async () => cardLines([{ text: 'eopol 0. Holmgren', x: 0.37, y: 0.2, h: 0.1 }]));
    expect((await extractCardFieldsAsync(lines(), { refine })).name).toBeNull();
    expect(refine).toHaveBeenCalled();
  });
});

describe("a phone number's row read as scraps, no start read", () => {
  it('is re-read from its first piece, further left, and all the crop reads on the row is taken', async () => {
    const lines = cardLines([
      { text: 'Leopold Holmgren', x: 0.37, y: 0.2, h: 0.1 },
      { text: 'i', x: 0.463, y: 0.835, h: 0.017, confidence: 67 },
      { text: '1', x: 0.51, y: 0.835, h: 0.017 },
      { text: '30', x: 0.708, y: 0.839, h: 0.014 },
      { text: '1924', x: 0.78, y: 0.839, h: 0.018 },
      { text: 'Email: leopold@fujimoto.de', x: 0.38, y: 0.87, h: 0.03 },
    ]);
    const regions: OcrBox[] = [];
    const refine = vi.fn(async (region: OcrBox) => {
      regions.push(region);
      // The row's whole-width crop reads nothing; the crop from its first piece reads the number's start too.
      return regions.length === 1
        ? ([] as OcrLine[])
        : cardLines([{ text: 'Mobile: +49 151 8322 0942', x: 0.379, y: 0.835, h: 0.017, confidence: 90 }]);
    });
    expect(extractCardFields(lines).phone_number).toBeNull();
    expect((await extractCardFieldsAsync(lines, { refine })).phone_number).toBe('+49 151 8322 0942');
    expect(regions[0]).toMatchObject({ left: 0, width: 1 });
    expect(regions[1].left).toBeLessThan(0.463);
    expect(regions[1].left + regions[1].width).toBeLessThan(1);
  });
});

describe('a phone number read again', () => {
  it('keeps its groups where the re-read reads the same digits grouped otherwise', async () => {
    const lines = cardLines([
      { text: 'Ananya Krishnan', x: 0.3, y: 0.35, h: 0.1 },
      { text: 'T 01 026 8390', x: 0.33, y: 0.59, h: 0.035, confidence: 60 },
    ]);
    const refine = vi.fn(async () => cardLines([{ text: 'T 01026 8390', x: 0.33, y: 0.59, h: 0.035, confidence: 95 }]));
    const fields = await extractCardFieldsAsync(lines, { refine });
    expect(refine).toHaveBeenCalled();
    expect(fields.phone_number).toBe('01 026 8390');
  });
});

describe("a web address's start read as a scrap or in pieces, re-read", () => {
  const h = 0.023;
  const person = [
    { text: 'Lachlan Carrington', x: 0.36, y: 0.34, h: 0.06 },
    { text: 'lachlan.carrington@eikenhof-advisors.ca', x: 0.39, y: 0.76, h },
  ];

  it('takes the "www." a re-read finds where a scrap stood in front of the address', async () => {
    const lines = cardLines([
      ...person,
      { text: 'bh', x: 0.33, y: 0.8, h, confidence: 60 },
      { text: 'eikenhof-advisors.ca', x: 0.345, y: 0.8, h },
    ]);
    const refine = vi.fn(async (region: OcrBox) =>
      region.left < 0.33 ? cardLines([{ text: 'www.eikenhof-advisors.ca', x: 0.33, y: 0.8, h }]) : [],
    );
    expect(extractCardFields(lines).url).toBe('eikenhof-advisors.ca');
    expect((await extractCardFieldsAsync(lines, { refine })).url).toBe('www.eikenhof-advisors.ca');
  });

  it('reads the row of a "www" read apart from the rest of the address again', async () => {
    const lines = cardLines([
      ...person,
      { text: 'www eik', x: 0.33, y: 0.8, h },
      { text: 'advisors ca', x: 0.45, y: 0.8, h },
    ]);
    const refine = vi.fn(async () => cardLines([{ text: 'www.eikenhof-advisors.ca', x: 0.33, y: 0.8, h }]));
    expect(extractCardFields(lines).url).toBeNull();
    expect((await extractCardFieldsAsync(lines, { refine })).url).toBe('www.eikenhof-advisors.ca');
  });
});

describe('an address line read in pieces, re-read', () => {
  it('is read again with the piece beside it, which the re-read supersedes', async () => {
    const h = 0.026;
    const dublin = { text: 'Dublin 2. D02', x: 0.605, y: 0.628, h, confidence: 77 };
    const [read] = cardLines([dublin]);
    const lines = cardLines([
      { text: 'Tessa Q. Delacroix', x: 0.22, y: 0.68, h: 0.04 },
      { text: '443 Grand Canal Street', x: 0.6, y: 0.59, h },
      dublin,
      // "X576" with its X lost: two characters on
      { text: '576', x: read.box.left + read.box.width + (2 * 0.5 * h) / 1.75, y: 0.635, h: 0.02 },
    ]);
    const piece = lines[3].box;
    const refine = vi.fn(async (region: OcrBox) =>
      cardLines([
        region.left + region.width >= piece.left + piece.width
          ? { text: 'Dublin 2, D02 X576', x: 0.605, y: 0.628, h }
          : { text: 'Dublin 2, DO2', x: 0.605, y: 0.628, h },
      ]),
    );
    expect(extractCardFields(lines).addr).toBeNull();
    expect((await extractCardFieldsAsync(lines, { refine })).addr).toBe('443 Grand Canal Street, Dublin 2, D02 X576');
  });
  it('takes in a piece further off that reads as an address, past a scrap', async () => {
    const h = 0.018;
    const lines = cardLines([
      { text: 'WU, Qiang', x: 0.21, y: 0.66, h: 0.06 },
      { text: 'Phone: +86 21 0336 5921', x: 0.548, y: 0.743, h: 0.03 },
      { text: 'Room 19', x: 0.555, y: 0.79, h },
      { text: '214 Century Avenue', x: 0.6, y: 0.79, h },
      { text: 'r', x: 0.712, y: 0.798, h: 0.009, confidence: 18 },
      { text: 'Shanghai 200120, China', x: 0.729, y: 0.796, h, confidence: 72 },
    ]);
    const refine = vi.fn(async (region: OcrBox) =>
      cardLines([
        region.left < 0.55
          ? { text: 'Room 1907, 214 Century Avenue, Pudong, Shanghai 200120, China', x: 0.549, y: 0.79, h }
          : { text: 'Shanghai 200120, China', x: 0.729, y: 0.796, h },
      ]),
    );
    expect((await extractCardFieldsAsync(lines, { refine })).addr).toBe(
      'Room 1907, 214 Century Avenue, Pudong, Shanghai 200120, China',
    );
  });
  it("takes from the re-read only its line's row, not a taller piece's (a large title beside it, cut through)", async () => {
    const lines = cardLines([
      { text: 'Ambrose S. Holmgren', x: 0.22, y: 0.626, h: 0.05 },
      { text: 'aholmgren@stonebridge.in', x: 0.606, y: 0.663, h: 0.036 },
      // the title and the address's line read as one, beside the rest of the address
      {
        text: 'i Senior Counsel, Employment wu, sor prestige Tower pars s',
        x: 0.161,
        y: 0.69,
        h: 0.041,
        confidence: 67,
      },
      { text: 'Kolkata 70001¢', x: 0.833, y: 0.701, h: 0.014, confidence: 79 },
    ]);
    const refine = vi.fn(async () =>
      cardLines([
        // the foot of the title, above the address line
        { text: 'ALIVIIIIYL GW LVLIGHL IUY Ge lil', x: 0.17, y: 0.675, h: 0.016, confidence: 25 },
        { text: '8th Floor, Prestige Tower, Park Street, Kolkata 700016', x: 0.56, y: 0.701, h: 0.014, confidence: 96 },
      ]),
    );
    expect((await extractCardFieldsAsync(lines, { refine })).addr).toBe(
      '8th Floor, Prestige Tower, Park Street, Kolkata 700016',
    );
  });
  it('reads the line below an address from its pieces, not from a mark before them', async () => {
    const lines = cardLines([
      { text: "Ellis O'Donovan", x: 0.362, y: 0.249, h: 0.057 },
      { text: 'Mobile +65 9778 2126', x: 0.367, y: 0.755, h: 0.025 },
      { text: '13 Orchard Road, #10-60', x: 0.37, y: 0.792, h: 0.025, confidence: 94 },
      { text: '«', x: 0.369, y: 0.835, h: 0.01, confidence: 53 },
      { text: 'Singap:', x: 0.372, y: 0.836, h: 0.017, confidence: 32 },
      { text: 're 0031', x: 0.41, y: 0.833, h: 0.017, confidence: 83 },
      { text: '3', x: 0.452, y: 0.834, h: 0.011, confidence: 69 },
    ]);
    const refine = vi.fn(async (region: OcrBox) =>
      cardLines([
        region.left < 0.372 && region.left + region.width > 0.455
          ? { text: 'Singapore 003103', x: 0.372, y: 0.834, h: 0.017 }
          : { text: 'x', x: region.left, y: 0.834, h: 0.017, confidence: 10 },
      ]),
    );
    expect((await extractCardFieldsAsync(lines, { refine })).addr).toBe('13 Orchard Road, #10-60, Singapore 003103');
  });
});

describe('a scrap before a title, re-read', () => {
  const lines = cardLines([
    { text: 'Lanternfish Systems Co., Ltd.', x: 0.31, y: 0.37, h: 0.03 },
    { text: 'KIMURA Daisuke', x: 0.27, y: 0.6, h: 0.05 },
    // One line of the OCR, a mark read as "h" apart from the title.
    { text: 'h', x: 0.2, y: 0.7, h: 0.035, more: [{ text: 'Security Enginee', x: 0.25 }] },
  ]);
  lines[2].words[0].confidence = 11;
  const reread = (x: number) => async () => cardLines([{ text: 'Security Engineer', x, y: 0.7, h: 0.035 }]);

  it('is superseded by what the re-read found in its place', async () => {
    expect(extractCardFields(lines).job_title).toBeNull();
    expect((await extractCardFieldsAsync(lines, { refine: reread(0.2) })).job_title).toBe('Security Engineer');
  });

  it('is not superseded where the re-read found nothing (what is left of a word the crop lost)', async () => {
    expect((await extractCardFieldsAsync(lines, { refine: reread(0.25) })).job_title).toBeNull();
  });
});

describe('a name read in pieces of its row, none of them larger than the rest', () => {
  it('is re-read whole, without a scrap of the panel before it that the mailbox does not spell', async () => {
    const lines = cardLines([
      { text: 'B | Bruno d', x: 0.345, y: 0.33, h: 0.042, confidence: 63 },
      { text: 'a', x: 0.479, y: 0.34, h: 0.031 },
      { text: 'Costa', x: 0.49, y: 0.329, h: 0.045 },
      { text: 'Co-Founder & Chief Scientist', x: 0.489, y: 0.414, h: 0.025 },
      { text: 'Cindervale Hydraulics S.L.', x: 0.138, y: 0.646, h: 0.025 },
      { text: 'E bruno7@cindervalehydraulics.es', x: 0.486, y: 0.82, h: 0.028 },
    ]);
    expect(extractCardFields(lines).name).toBeNull();
    const refine = vi.fn(async () =>
      cardLines([{ text: 'Be Bruno da Costa', x: 0.345, y: 0.33, h: 0.045, confidence: 78 }]),
    );
    expect((await extractCardFieldsAsync(lines, { refine })).name).toBe('Bruno da Costa');
  });
});

describe("a re-read that drops another field's front", () => {
  it("keeps that field's web address or mailbox as it was", () => {
    const fields = (url: string, email: string | null) => ({
      ...extractCardFields([]),
      url,
      email,
    });
    const before = { fields: fields('https://www.hikarimobility.ie', null), segments: [], doubts: [] };
    const after = {
      fields: fields('www.hikarimobility.ie', 'ananya.krishnan@hikarimobility.ie'),
      segments: [],
      doubts: [],
    };
    expect(withFrontsKept(before, after).fields).toMatchObject({
      url: 'https://www.hikarimobility.ie',
      email: 'ananya.krishnan@hikarimobility.ie',
    });
    const other = { fields: fields('www.hikari.ie', 'a@hikari.ie'), segments: [], doubts: [] };
    expect(withFrontsKept(before, other).fields.url).toBe('www.hikari.ie');
  });
});

describe("a title re-read on into the next column's contact label", () => {
  it('is given without the label and the start of its value', async () => {
    const lines = cardLines([
      { text: '» TIANYU LLP', x: 0.224, y: 0.142, h: 0.056, confidence: 76 },
      { text: 'Joost van der Berg', x: 0.224, y: 0.526, h: 0.062, confidence: 95 },
      { text: '|', x: 0.177, y: 0.576, h: 0.062 },
      { text: 'e-mail | ande there', x: 0.545, y: 0.613, h: 0.027, confidence: 36 },
      { text: 'Vice President, Human Resources', x: 0.227, y: 0.619, h: 0.029, confidence: 95 },
      { text: '383 Prospect Place', x: 0.228, y: 0.699, h: 0.028, confidence: 95 },
    ]);
    const row = 'Vice President, Human Resources e-mail jvanderbergs';
    const refine = vi.fn(async () => cardLines([{ text: row, x: 0.227, y: 0.619, h: 0.029, confidence: 78 }]));
    const fields = await extractCardFieldsAsync(lines, { refine });
    expect(refine).toHaveBeenCalled();
    expect(fields.job_title).toBe('Vice President, Human Resources');
    // A word a label starts is no label.
    const own = cardLines([
      { text: 'Joost van der Berg', x: 0.224, y: 0.526, h: 0.062 },
      { text: 'Head of Telecoms products', x: 0.227, y: 0.619, h: 0.029 },
    ]);
    expect(extractCardFields(own).job_title).toBe('Head of Telecoms products');
  });
});

describe('a title printed after the name on its line, re-read with a piece beside it', () => {
  it("replaces the title's words and the piece, not the name before them", async () => {
    const lines = cardLines([
      { text: '(@ Brackenridge & Villiers', x: 0.4, y: 0.156, h: 0.055 },
      { text: "LEOPOLD O'HALLORAN | Senior Manager", x: 0.277, y: 0.328, h: 0.037 },
      { text: 'r, Treasury', x: 0.655, y: 0.33, h: 0.036 },
      { text: 'E leopold@brackenridgevilliers.com.sg', x: 0.432, y: 0.485, h: 0.029 },
    ]);
    const refine = vi.fn(async () =>
      cardLines([{ text: 'Senior Manager, Treasury', x: 0.48, y: 0.33, h: 0.036, confidence: 95 }]),
    );
    const fields = await extractCardFieldsAsync(lines, { refine });
    expect(refine).toHaveBeenCalled();
    expect(fields.name).toBe("LEOPOLD O'HALLORAN");
    expect(fields.job_title).toBe('Senior Manager, Treasury');
  });
});

describe('an address line ending in a period', () => {
  it('drops a period after a word that is no abbreviation', () => {
    expect(withoutTrailingPeriod('28046 Madrid, Spain.')).toBe('28046 Madrid, Spain');
    expect(withoutTrailingPeriod('12 Collins St.')).toBe('12 Collins St.');
    expect(withoutTrailingPeriod('Washington, D.C.')).toBe('Washington, D.C.');
  });
});

describe('a mail domain ending in no top-level domain', () => {
  it('takes the one top-level domain a letter slip away', () => {
    expect(knownTopLevel('qiang.wang@northgate.com.sq')).toBe('qiang.wang@northgate.com.sg');
    expect(knownTopLevel('qiang.wang@northgate.com.sg')).toBe('qiang.wang@northgate.com.sg');
    expect(knownTopLevel('jo@acme.zz')).toBe('jo@acme.zz');
  });
});

describe('a company named by the words of its domain', () => {
  it('is no web address read without its dots ("Granite Works" beside ...@granite.works)', () => {
    const fields = card([
      { text: 'Granite Works', x: 0.1, y: 0.1, h: 0.05 },
      { text: 'Maya Lindqvist', x: 0.1, y: 0.3, h: 0.06 },
      { text: 'Operations Manager', x: 0.1, y: 0.38 },
      { text: 'maya@granite.works', x: 0.5, y: 0.7, h: 0.03 },
    ]);
    expect(fields.company).toBe('Granite Works');
    expect(fields.url).toBeNull();
  });
});

describe('a mailbox whose start was lost', () => {
  const printed = (mailbox: string, confidence = 60) =>
    cardLines([
      { text: 'Indigo Labs S.A.', x: 0.16, y: 0.16, h: 0.06 },
      { text: 'C. X. Brennan', x: 0.16, y: 0.43, h: 0.06 },
      { text: 'e-mail', x: 0.16, y: 0.84, h: 0.03 },
      { text: mailbox, x: 0.3, y: 0.84, h: 0.03, confidence },
    ]);

  it('takes the re-read that restores a start the name spells, though read with less confidence', async () => {
    const refine = vi.fn(async () =>
      cardLines([{ text: 'c.brennan@outlook.com', x: 0.28, y: 0.84, h: 0.03, confidence: 50 }]),
    );
    expect((await extractCardFieldsAsync(printed('brennan@outlook.com'), { refine })).email).toBe(
      'c.brennan@outlook.com',
    );
  });

  it('re-reads the row of a mail domain read without its mailbox', async () => {
    const refine = vi.fn(async () =>
      cardLines([{ text: 'e-mail c.brennan@outlook.com', x: 0.16, y: 0.84, h: 0.03, confidence: 80 }]),
    );
    const fields = await extractCardFieldsAsync(printed('@outlook com', 90), { refine });
    expect(refine).toHaveBeenCalled();
    expect(fields.email).toBe('c.brennan@outlook.com');
  });
});

describe("a phone number's row read as two digit groups, no start read", () => {
  it("takes the whole row's re-read over both groups", async () => {
    const lines = cardLines([
      { text: 'Marrowby Hydraulics', x: 0.145, y: 0.238, h: 0.066 },
      { text: ')20 058', x: 0.752, y: 0.601, h: 0.023, confidence: 91 },
      { text: '7454', x: 0.854, y: 0.603, h: 0.02, confidence: 74 },
      { text: 'D.X. Castellanos', x: 0.142, y: 0.75, h: 0.019 },
    ]);
    const refine = vi.fn(async () =>
      cardLines([{ text: '| 1020 058 7454', x: 0.79, y: 0.601, h: 0.023, confidence: 56 }]),
    );
    expect(extractCardFields(lines).phone_number).toBeNull();
    expect((await extractCardFieldsAsync(lines, { refine })).phone_number).toBe('020 058 7454');
  });
});

describe("a mail row's crop that reads nothing", () => {
  it('is followed by a crop of the mail segment alone', async () => {
    const lines = cardLines([
      { text: 'Leopold Holmgren', x: 0.37, y: 0.2, h: 0.1 },
      { text: 'Email: leopold@ fujimoto.d', x: 0.38, y: 0.86, h: 0.03, confidence: 84 },
    ]);
    const regions: OcrBox[] = [];
    const refine = vi.fn(async (region: OcrBox) => {
      regions.push(region);
      return region.width === 1
        ? cardLines([{ text: 'EET T—— NEE', x: 0.01, y: 0.86, h: 0.03, confidence: 8 }])
        : cardLines([{ text: 'Email: leopold@ fujimoto.de', x: 0.38, y: 0.86, h: 0.03, confidence: 89 }]);
    });
    expect((await extractCardFieldsAsync(lines, { refine })).email).toBe('leopold@fujimoto.de');
    expect(regions.map((r) => r.width === 1)).toEqual([true, false]);
  });
});

describe('an address whose town was lost', () => {
  it('takes a state and ZIP code alone after the street, or a postcode alone before the country, as a town lost', () => {
    expect(townLost('374 Mission Avenue, Suite 635, OR 97204')).toBe(true);
    expect(townLost('13F, 114 Pangyo-ro, Bundang-gu, 13494 South Korea')).toBe(true);
    expect(townLost('374 Mission Avenue, Suite 635, Portland, OR 97204')).toBe(false);
    expect(townLost('Friedrichstraße 68, 10117 Berlin, Germany')).toBe(false);
    expect(townLost('Seongnam-si 13494, South Korea')).toBe(false);
    expect(postcodeMisread('49 Eyre Square Galway HI FDI9')).toBe(true);
    expect(postcodeMisread('462 Eyre Square, Galway H91 FD92')).toBe(false);
    expect(postcodeMisread('Suite 12, Riverside House, 127 Mill Lane, Sheffield S1 2HE')).toBe(false);
    expect(postcodeMisread('30F, 112 Gyeongchun-ro, Namdong-gu, Incheon 21565, Korea')).toBe(false);
    expect(postcodeMisread('Level 21, 6 Jalan Binjai, 50450 Kuala Lumpur, 21F')).toBe(false);
    // Six-digit postcodes read with other digits.
    expect(postcodeMisread('69 Tanjong Pagar Road, #21-80, Singapore 0897')).toBe(true);
    expect(postcodeMisread('69 Tanjong Pagar Road, #21-80, Singapore 089719')).toBe(false);
    expect(postcodeMisread('301 Renmin South Road, Wuhou District, Chengdu 61004, China')).toBe(true);
    expect(postcodeMisread('8th Floor, Prestige Tower, Park Street, Kolkata 700016, India')).toBe(false);
    expect(townLost('Neude 16, 3512 AE')).toBe(true);
    expect(townLost('149 Barrington Street, Suite 2568, Halifax, NS')).toBe(true);
    expect(townLost('149 Barrington Street, Suite 2568, Halifax, NS B3J 1Z2')).toBe(false);
    expect(townLost('Neude 16, 3512 AE Utrecht')).toBe(false);
  });
});

describe('a capital shaped as its small letter', () => {
  it('is read back at the start of a word of an address printed with capitals', () => {
    expect(capitalsRead('247 Mill st, Milwaukee, WI 53202, United States')).toBe(
      '247 Mill St, Milwaukee, WI 53202, United States',
    );
    expect(capitalsRead('358 Mill Place, sheffield S1 2HE, United Kingdom')).toBe(
      '358 Mill Place, Sheffield S1 2HE, United Kingdom',
    );
    // Words printed small stay, as do lines printed small and a district's suffix.
    expect(capitalsRead('Laan van Meerdervoort 52, 2517 AM Den Haag')).toBe(
      'Laan van Meerdervoort 52, 2517 AM Den Haag',
    );
    expect(capitalsRead('3-6-17 Roppongi, Minato-ku, Tokyo')).toBe('3-6-17 Roppongi, Minato-ku, Tokyo');
    expect(capitalsRead('12 station road, sheffield')).toBe('12 station road, sheffield');
    expect(capitalsRead('247 Mill st')).toBe('247 Mill St');
  });
});

describe('a floor before the house number', () => {
  it('gets back the comma the OCR lost after it', () => {
    expect(repairAddressSlips('6F 15 Teheran-ro')).toBe('6F, 15 Teheran-ro');
    expect(repairAddressSlips('6F, 15 Teheran-ro')).toBe('6F, 15 Teheran-ro');
    expect(repairAddressSlips('15 Teheran-ro')).toBe('15 Teheran-ro');
  });
});

describe('an address line read in two pieces cut inside a word', () => {
  it('is not given', () => {
    const lines = (rest: string): PrintedLine[] => [
      { text: 'Tidewater Systems Pvt. Ltd.', x: 0.16, y: 0.13, h: 0.05 },
      { text: 'Joost ter Horst', x: 0.33, y: 0.3, h: 0.07 },
      { text: '8th Floor, Pri', x: 0.39, y: 0.7, h: 0.025 },
      { text: rest, x: 0.53, y: 0.7, h: 0.025 },
      { text: 'MG Road, Bengaluru 560001', x: 0.38, y: 0.73, h: 0.025 },
    ];
    expect(card(lines('ige Tower')).addr).toBeNull();
  });
});

describe('a re-read that leaves its field empty', () => {
  it('is not kept for what it changed elsewhere', async () => {
    const lines = cardLines([
      { text: 'Haneul Systems S.A.', x: 0.18, y: 0.11, h: 0.037 },
      { text: 'L. V. Hartley', x: 0.24, y: 0.43, h: 0.048 },
      { text: 'E lhartley', x: 0.28, y: 0.79, h: 0.011 },
    ]);
    const refine = vi.fn(async () =>
      cardLines([{ text: 'LE hartievhaneulsvsiems. es', x: 0.28, y: 0.79, h: 0.011, confidence: 30 }]),
    );
    const fields = await extractCardFieldsAsync(lines, { refine });
    expect(refine).toHaveBeenCalled();
    expect(fields.email).toBeNull();
    expect(fields.url).toBeNull();
  });
});

describe('a two-part legal form cut at its end', () => {
  it('is completed only where one word can end it', () => {
    expect(tidyCompany('TIDEWATER SYSTEMS PVT. LT')).toBe('TIDEWATER SYSTEMS PVT. LTD.');
    expect(tidyCompany('Indigo Foods Pte. Lt')).toBe('Indigo Foods Pte. Ltd.');
    expect(tidyCompany('Lindenhof Pty Lt')).toBe('Lindenhof Pty Ltd');
    expect(tidyCompany('Bluestone LT')).toBe('Bluestone LT');
  });

  it('completes a Sdn. Bhd. whose Bhd. was read as a scrap, and an LLC read as Lc', () => {
    expect(tidyCompany('BOREAL SDN. wo')).toBe('BOREAL SDN. BHD.');
    expect(tidyCompany('Boreal Sdn Bhd')).toBe('Boreal Sdn Bhd');
    expect(tidyCompany('Redkite Mobility Lc')).toBe('Redkite Mobility LLC');
  });
});

describe("a web address read as the mail domain's name and a dot, its end junk", () => {
  const lines = () =>
    cardLines([
      { text: 'TIANYU & MONTGOMERY', x: 0.25, y: 0.311, h: 0.057, confidence: 77 },
      { text: 'Ellis Muldoon', x: 0.622, y: 0.463, h: 0.04 },
      { text: 'Platform Reliability Lead', x: 0.65, y: 0.532, h: 0.028 },
      { text: 'E ellism@tianyumontgomery.com', x: 0.612, y: 0.728, h: 0.026 },
      { text: 'tianyumontgomery. “ 4', x: 0.682, y: 0.76, h: 0.026, confidence: 69 },
    ]);

  it('is no company line, and its row is read again', async () => {
    expect(extractCardFields(lines()).company).toBe('TIANYU & MONTGOMERY');
    // (without the company's line: none, not the web address's name)
    expect(extractCardFields(lines().slice(1)).company).toBeNull();
    const refine = vi.fn(async (region: OcrBox) =>
      region.top > 0.74 ? cardLines([{ text: 'tianyumontgomery.com', x: 0.682, y: 0.76, h: 0.026 }]) : [],
    );
    const fields = await extractCardFieldsAsync(lines(), { refine });
    expect(fields.url).toBe('tianyumontgomery.com');
    expect(fields.company).toBe('TIANYU & MONTGOMERY');
  });
});

describe('postcodes and logo marks read with slips', () => {
  it("reads a British inward code's 1 read as I, and Japan's four digits read apart", () => {
    expect(onesInPostcodes('391 Tanner Lane, Norwich, NR2 INH')).toBe('391 Tanner Lane, Norwich, NR2 1NH');
    expect(onesInPostcodes('Norwich, NR2 1NH')).toBe('Norwich, NR2 1NH');
    expect(joinSplitPostcode('Minato-ku, Tokyo 106-61 08, Japan')).toBe('Minato-ku, Tokyo 106-6108, Japan');
    expect(joinSplitPostcode('Minato-ku, Tokyo 106-61 0, Japan')).toBe('Minato-ku, Tokyo 106-61 0, Japan');
  });

  it('drops a mark in brackets before a company name', () => {
    expect(tidyCompany('(®) Moorland Therapeutics')).toBe('Moorland Therapeutics');
    expect(tidyCompany('(UK) Moorland Therapeutics')).toBe('(UK) Moorland Therapeutics');
  });
});

describe('names of initials', () => {
  const name = (text: string) =>
    card([
      { text: 'Redkite Software', x: 0.4, y: 0.15, h: 0.06 },
      { text, x: 0.43, y: 0.33, h: 0.06 },
      { text: 'Director, Investor Relations', x: 0.46, y: 0.43, h: 0.03 },
    ]);
  it('reads an initial I read as l or a bar, and an O read as a zero', () => {
    expect(name('A.l. Mwangi').name).toBe('A.I. Mwangi');
    expect(name('|.G. Delacroix').name).toBe('I.G. Delacroix');
    expect(name('V.0. Mwangi').name).toBe('V.O. Mwangi');
  });

  it('takes initials P.O. for no post office box', () => {
    expect(name('P.O. Mwangi').name).toBe('P.O. Mwangi');
  });

  it('splits a name with a misread initial from the title on its line', () => {
    const fields = name('Tessa 0. Mwangi | Product Owner');
    expect(fields.name).toBe('Tessa O. Mwangi');
    expect(fields.job_title).toBe('Product Owner');
  });

  it("reads the apostrophe lost after a family name's D or O, alone or before the title on its line", () => {
    expect(name('Leopold DAmato').name).toBe("Leopold D'Amato");
    expect(name('Sean OBrien').name).toBe("Sean O'Brien");
    const fields = name('Leopold DAmato | Key Account Manager');
    expect(fields.name).toBe("Leopold D'Amato");
    expect(fields.job_title).toBe('Key Account Manager');
    // Not a name that reads as one already.
    expect(name('Dario DeAngelo').name).toBe('Dario DeAngelo');
  });
});

describe('a company word read as two segments that touch', () => {
  const company = (...lines: PrintedLine[]) =>
    card([...lines, { text: 'Chen Yifan', x: 0.44, y: 0.3, h: 0.08 }, { text: 'Brand Strategist', x: 0.47, y: 0.42 }])
      .company;
  // "Clear" is 5 letters of 0.5 text heights, over the page's aspect of 1.75.
  const end = (x: number, text: string, h: number) => x + (text.length * 0.5 * h) / 1.75;

  it('joins the piece after the cut, which starts in lower case', () => {
    expect(
      company(
        { text: 'Clear', x: 0.34, y: 0.12, h: 0.08 },
        { text: 'water Materials', x: end(0.34, 'Clear', 0.08), y: 0.12, h: 0.08 },
      ),
    ).toBe('Clearwater Materials');
    expect(
      company(
        { text: 'Bo', x: 0.49, y: 0.14, h: 0.03 },
        { text: 'real LLP', x: end(0.49, 'Bo', 0.03), y: 0.14, h: 0.03 },
      ),
    ).toBe('Boreal LLP');
  });

  it('joins the pieces of any line: a country below an address', () => {
    const end2 = (x: number, text: string) => x + (text.length * 0.5 * 0.035) / 1.75;
    const fields = card([
      { text: 'Ludwig von Bergen', x: 0.13, y: 0.35, h: 0.07 },
      { text: 'Calle Larios 39', x: 0.127, y: 0.657, h: 0.035 },
      { text: '29005 Malaga', x: 0.124, y: 0.696, h: 0.035 },
      { text: 'S', x: 0.124, y: 0.736, h: 0.035 },
      { text: 'pain', x: end2(0.124, 'S'), y: 0.736, h: 0.035 },
    ]);
    expect(fields.addr).toBe('Calle Larios 39, 29005 Malaga, Spain');
  });

  it('joins an address line read in three pieces: a lone first digit, a word cut read with a stroke', () => {
    const h = 0.035;
    const first = '9 Tanjong Pagar Road, #21-80, Sing;';
    // (cardLines sets spaces 0.3 text heights wide)
    const endOf = (x: number, text: string) => end(x, text, h) - (text.split(' ').length - 1) * ((0.2 * h) / 1.75);
    const fields = card([
      { text: 'Pranav Joglekar', x: 0.15, y: 0.33, h: 0.07 },
      { text: '6', x: 0.16, y: 0.85, h },
      { text: first, x: endOf(0.16, '6'), y: 0.85, h },
      { text: 'apore 089719', x: endOf(endOf(0.16, '6'), first), y: 0.85, h },
    ]);
    expect(fields.addr).toBe('69 Tanjong Pagar Road, #21-80, Singapore 089719');
  });

  it('joins a phone number read in two pieces at a dash', () => {
    const h = 0.035;
    const fields = card([
      { text: 'Lachlan Carrington', x: 0.42, y: 0.2, h: 0.07 },
      { text: 'Mobile: +1-632', x: 0.42, y: 0.69, h },
      { text: '-555-0185', x: end(0.42, 'Mobile: +1-632', h) - (0.2 * h) / 1.75, y: 0.69, h },
    ]);
    expect(fields.phone_number).toBe('+1-632-555-0185');
  });

  it('joins no digit read a space apart from the number after it', () => {
    const h = 0.035;
    const fields = card([
      { text: 'Pranav Joglekar', x: 0.15, y: 0.33, h: 0.07 },
      { text: '6', x: 0.16, y: 0.85, h },
      // a space as cardLines sets it, 0.3 text heights
      { text: '9 Tanjong Pagar Road, #21-80, Singapore 089719', x: end(0.16, '6', h) + (0.3 * h) / 1.75, y: 0.85, h },
    ]);
    expect(fields.addr).toBe('9 Tanjong Pagar Road, #21-80, Singapore 089719');
  });

  it('joins no mailbox or web address to a label letter before it', () => {
    const fields = card([
      { text: 'Kavya Iyer', x: 0.18, y: 0.43, h: 0.07 },
      { text: 'L', x: 0.114, y: 0.742, h: 0.04 },
      { text: 'redkitemobility.com', x: end(0.114, 'L', 0.04), y: 0.742, h: 0.04 },
    ]);
    expect(fields.url).toBe('redkitemobility.com');
  });

  it('joins no scrap read off a mark', () => {
    expect(
      company(
        { text: 'Redkite Labs', x: 0.11, y: 0.27, h: 0.07 },
        { text: 'oo', x: end(0.11, 'Redkite Labs', 0.07), y: 0.2, h: 0.2, confidence: 0 },
      ),
    ).toBe('Redkite Labs');
  });
});

describe('a company word cut at its last letter', () => {
  it('is made whole, but not a plural left without its s', () => {
    expect(tidyCompany('LINDENHOF BIOTEC')).toBe('LINDENHOF BIOTECH');
    expect(tidyCompany('Lindenhof Softwar')).toBe('Lindenhof Software');
    expect(tidyCompany('Redkite Material')).toBe('Redkite Material');
    expect(tidyCompany('Lindenhof Biotech')).toBe('Lindenhof Biotech');
    expect(tidyCompany('FALCONER ARCHITEC')).toBe('FALCONER ARCHITECTS');
    expect(tidyCompany('REDKITE MATERIALS CO.. LTD.')).toBe('REDKITE MATERIALS CO., LTD.');
  });

  it("gives Corp and Inc their abbreviation's period, and reads PVT, as PVT.", () => {
    expect(tidyCompany('Sable Mobility Corp')).toBe('Sable Mobility Corp.');
    expect(tidyCompany('Arclight Inc')).toBe('Arclight Inc.');
    expect(tidyCompany('Arclight Corporation')).toBe('Arclight Corporation');
    expect(tidyCompany('LANTERNFISH PVT, LTD')).toBe('LANTERNFISH PVT. LTD.');
  });

  it('spells a long word of the company line two letters off the mail domain as the domain does', () => {
    const fields = card([
      { text: 'NortHeare PVT. LTD.', x: 0.1, y: 0.1, h: 0.05, confidence: 60 },
      { text: 'Tessa Prescott', x: 0.1, y: 0.3, h: 0.06 },
      { text: 't.prescott@northgate.in', x: 0.1, y: 0.7 },
    ]);
    expect(fields.company?.toLowerCase()).toBe('northgate pvt. ltd.');
  });
});

describe("a title's row read in pieces, each a line of its own", () => {
  const lines = cardLines([
    { text: 'Harrowgate Logistics', x: 0.3, y: 0.2, h: 0.05 },
    { text: 'Amara Osei', x: 0.3, y: 0.4, h: 0.05 },
    // "Director, Strategic Accounts" read as three lines of one row.
    { text: 'Director', x: 0.3, y: 0.5, h: 0.025 },
    { text: 'Stra', x: 0.38, y: 0.5, h: 0.025 },
    { text: '(1c Acc', x: 0.43, y: 0.5, h: 0.025, confidence: 40 },
  ]);

  it('gives no title from one piece, and takes the re-read of the whole row', async () => {
    expect(extractCardFields(lines).job_title).toBeNull();
    const refine = async () => cardLines([{ text: 'Director, Strategic Accounts', x: 0.3, y: 0.5, h: 0.025 }]);
    expect((await extractCardFieldsAsync(lines, { refine })).job_title).toBe('Director, Strategic Accounts');
  });

  it("takes no logo's mark on the row, nor a second reading of the title's place, for a piece of it", () => {
    const title = (...more: PrintedLine[]) =>
      extractCardFields(
        cardLines([
          { text: 'Amara Osei', x: 0.3, y: 0.4, h: 0.05 },
          { text: 'Legal Counsel', x: 0.3, y: 0.5, h: 0.025 },
          ...more,
        ]),
      ).job_title;
    expect(title({ text: 'IN', x: 0.1, y: 0.42, h: 0.15, confidence: 6 })).toBe('Legal Counsel');
    expect(title({ text: 'Legal Counse;', x: 0.3, y: 0.5, h: 0.025, confidence: 60 })).toBe('Legal Counsel');
  });

  it("takes in a lone capital at the row's start (no phone label there) and pieces down a slanted row", async () => {
    const lines = cardLines([
      { text: 'Cindervale & Villiers', x: 0.136, y: 0.334, h: 0.057 },
      { text: 'Han, Do-yoon', x: 0.124, y: 0.583, h: 0.066 },
      // "Customer Success Lead" read as pieces, the row descending to the right
      { text: 'C', x: 0.121, y: 0.663, h: 0.022 },
      { text: 'ymer', x: 0.15, y: 0.672, h: 0.019 },
      { text: 'ce', x: 0.19, y: 0.683, h: 0.013 },
      { text: 's Lead', x: 0.21, y: 0.68, h: 0.024 },
      { text: 'T +1-480-555-0120', x: 0.435, y: 0.725, h: 0.035 },
    ]);
    const refine = vi.fn(async (region: OcrBox) =>
      cardLines([
        region.left < 0.121
          ? { text: 'Customer Success Lead', x: 0.121, y: 0.67, h: 0.024 }
          : { text: 'ustomer Success Lead', x: 0.13, y: 0.67, h: 0.024 },
      ]),
    );
    expect((await extractCardFieldsAsync(lines, { refine })).job_title).toBe('Customer Success Lead');
  });

  it('takes no web address spelled without its dots beside the title for a piece of it', () => {
    const lines = cardLines([
      { text: 'Harrowgate Logistics Inc.', x: 0.26, y: 0.38, h: 0.023 },
      { text: 'Amara Osei', x: 0.26, y: 0.7, h: 0.04 },
      { text: 'a.osei@harrowgate.kr', x: 0.58, y: 0.81, h: 0.023, confidence: 78 },
      { text: 'Business Development Manager', x: 0.26, y: 0.84, h: 0.019 },
      { text: 'harrowgate kr', x: 0.45, y: 0.84, h: 0.017, confidence: 69 },
    ]);
    expect(extractCardFields(lines).job_title).toBe('Business Development Manager');
  });
});

describe('a company line whose end was lost', () => {
  const lines = cardLines([
    { text: 'HARROWGATE WORKS i', x: 0.1, y: 0.5, h: 0.02 },
    { text: 'Amara Osei', x: 0.4, y: 0.2, h: 0.05 },
    { text: 'amara@harrowgate-works.com', x: 0.4, y: 0.7, h: 0.02 },
  ]);

  it('is given only once a re-read of its row reads it whole', async () => {
    expect(endsCut('HARROWGATE WORKS i')).toBe(true);
    expect(endsCut('Longmen Mobility ow')).toBe(true);
    expect(endsCut('HARROWGATE WORKS LT')).toBe(true);
    expect(endsCut('Harrowgate Works AG')).toBe(false);
    expect(endsCut('Casa de la Luz')).toBe(false);
    expect(extractCardFields(lines).company).toBeNull();
    const refine = async () => cardLines([{ text: 'HARROWGATE WORKS LTD.', x: 0.1, y: 0.5, h: 0.02 }]);
    expect((await extractCardFieldsAsync(lines, { refine })).company).toBe('HARROWGATE WORKS LTD.');
  });
});
