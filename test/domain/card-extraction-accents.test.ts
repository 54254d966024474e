import { describe, expect, it, vi } from 'vitest';
import {
  addressLanguage,
  hasAccentedLetter,
  onlyAccentsDiffer,
  withAccentsRead,
} from '../../src/domain/card-extraction/accents.js';
import { extractCardFieldsAsync } from '../../src/domain/card-extraction/index.js';
import type { OcrBox, OcrLanguage, OcrLine } from '../../src/ports/ocr.js';
import { cardLines } from './card-extraction-lines.js';

describe("an address's language", () => {
  it('is its country’s, else its town’s, else that of its street words', () => {
    expect(addressLanguage('Mühlenweg 18, 69117 Heidelberg, Germany')).toBe('de');
    expect(addressLanguage('Calle Colon 58, 46004 Valencia, Spain')).toBe('es');
    expect(addressLanguage('Av. Paulista 1000, 01310-100 Sao Paulo, Brazil')).toBe('pt');
    // The town: Freiburg and Valencia are towns of the gazetteer in German- and Spanish-speaking countries.
    expect(addressLanguage('Backerstraße 133, 79098 Freiburg im Breisgau')).toBe('de');
    expect(addressLanguage('Avenida del Puerto 12, 46023 Valencia')).toBe('es');
    // The street's words alone.
    expect(addressLanguage('Via Garibaldi 12, 38122 Trento')).toBe('it');
    expect(addressLanguage('14 Rue de la Paix, 38000 Grenoble')).toBe('fr');
    expect(addressLanguage('Rua Augusta 21, 1100-048 Lisboa')).toBe('pt');
    expect(addressLanguage('1200 Rue Sherbrooke, Montreal, QC H3A 1B9')).toBe('fr');
  });

  it('is none for an address in English, or one whose words belong to two languages', () => {
    expect(addressLanguage('464 Harbor Street, Suite 153, Boston, MA 02210')).toBeUndefined();
    expect(addressLanguage('8th Floor, Prestige Tower, Park Street, Kolkata 700016')).toBeUndefined();
    expect(addressLanguage('Avenida 9 de Julio 1000, 1043 Springfield')).toBeUndefined();
  });
});

describe('accents read again in their language', () => {
  it('takes a word that differs only in accented letters: ß for a B, one accent for another, a letter once', () => {
    expect(onlyAccentsDiffer('Colon', 'Colón')).toBe(true);
    expect(onlyAccentsDiffer('Colén', 'Colón')).toBe(true);
    expect(onlyAccentsDiffer('StraBe', 'Straße')).toBe(true);
    expect(onlyAccentsDiffer('Backerstraße', 'Bäckerstraße')).toBe(true);
  });

  it('takes no other change: a plain letter, a digit, a length, an accent lost, two letters misread', () => {
    expect(onlyAccentsDiffer('Mihlenweqg', 'Mühlenweg')).toBe(false);
    expect(onlyAccentsDiffer('Colon', 'Colin')).toBe(false);
    expect(onlyAccentsDiffer('Kurfirstendamm', 'Kurfürstendamm')).toBe(true);
    expect(onlyAccentsDiffer('Kirfirstendamm', 'Kürfürstendamm')).toBe(false);
    expect(onlyAccentsDiffer('Hafiz', 'Hafız')).toBe(false);
    expect(onlyAccentsDiffer('58', '38')).toBe(false);
    expect(onlyAccentsDiffer('Thérèse', 'Therese')).toBe(false);
    expect(onlyAccentsDiffer('Colon', 'Colon')).toBe(false);
  });

  it('takes an acute o or a read as a d, once in a word', () => {
    expect(onlyAccentsDiffer('Coldn', 'Colón')).toBe(true);
    expect(withAccentsRead('Calle Coldn 181, 46004 Valencia', ['Calle Colón 181, 46004 Valencia'])).toBe(
      'Calle Colón 181, 46004 Valencia',
    );
    // Not another letter for it, nor a d for an unaccented o.
    expect(onlyAccentsDiffer('Colbn', 'Colón')).toBe(false);
    expect(onlyAccentsDiffer('Coldn', 'Colon')).toBe(false);
  });

  it('replaces the words of a value by their accented readings, the rest as read first', () => {
    expect(withAccentsRead('Calle Colon 58, 46004 Valencia, Spain', ['Calle Colón 538', '46004 Valencia'])).toBe(
      'Calle Colón 58, 46004 Valencia, Spain',
    );
  });

  it('takes the reading most languages agree on, the word as read counted among them, and none on a tie', () => {
    const name = 'Marie-Thérese Yardley';
    const reads = (...names: string[]) => names.map((n) => `Marie-${n} Yardley`);
    expect(withAccentsRead(name, reads('Thérèse', 'Thérèse', 'Thérêse', 'Thérese'))).toBe('Marie-Thérèse Yardley');
    expect(withAccentsRead(name, reads('Thérèse', 'Thérêse'))).toBe(name);
    // Read right in English: two languages reading another accent do not outvote the two that agree with it.
    const renee = 'Renée Fontaine';
    expect(withAccentsRead(renee, ['Renèe Fontaine', 'Renèe Fontaine', 'Renée Fontaine', 'Renée Fontaine'])).toBe(
      renee,
    );
  });

  it('knows a Latin letter with a diacritic from plain letters and other scripts', () => {
    expect(hasAccentedLetter('Thérese')).toBe(true);
    expect(hasAccentedLetter('Straße')).toBe(true);
    expect(hasAccentedLetter('Yardley')).toBe(false);
    expect(hasAccentedLetter('김민준')).toBe(false);
  });
});

describe('a card whose address is in a language besides English', () => {
  const printed = (addressLines: string[]) =>
    cardLines([
      { text: 'Lucia Romero', x: 0.1, y: 0.1, h: 0.06 },
      { text: 'Account Director', x: 0.1, y: 0.2 },
      { text: 'lromero@tallowmere.es', x: 0.1, y: 0.5 },
      ...addressLines.map((text, i) => ({ text, x: 0.1, y: 0.7 + i * 0.06 })),
    ]);

  it("has its address's lines read again in that language, taking only the accents; not its name", async () => {
    const languages: Array<OcrLanguage | undefined> = [];
    const refine = vi.fn(async (region: OcrBox, _angle?: number, _textPx?: number, language?: OcrLanguage) => {
      languages.push(language);
      const row = region.top < 0.73 ? 'Calle Colón 538' : '46004 Valencia';
      return cardLines([{ text: row, x: 0.1, y: region.top }]);
    });
    const fields = await extractCardFieldsAsync(printed(['Calle Colon 58', '46004 Valencia, Spain']), { refine });
    expect(fields.addr).toBe('Calle Colón 58, 46004 Valencia, Spain');
    expect(fields.name).toBe('Lucia Romero');
    expect(languages).toEqual(['es', 'es']);
  });

  it('is read once, in English, when its address is and its name has no accented letter', async () => {
    const refine = vi.fn(async (): Promise<OcrLine[]> => []);
    const fields = await extractCardFieldsAsync(printed(['464 Harbor Street, Suite 153', 'Boston, MA 02210']), {
      refine,
    });
    expect(fields.addr).toBe('464 Harbor Street, Suite 153, Boston, MA 02210');
    expect(refine).not.toHaveBeenCalled();
  });

  it("has a name read with an accented letter read again in each language, whatever the address's", async () => {
    const languages: Array<OcrLanguage | undefined> = [];
    const refine = vi.fn(async (region: OcrBox, _angle?: number, _textPx?: number, language?: OcrLanguage) => {
      languages.push(language);
      // As tesseract's models read the photo of such a card.
      const read = { de: 'Therese', fr: 'Thérèse', es: 'Thérese', it: 'Thérèse', pt: 'Thérêse' }[language ?? 'de'];
      return cardLines([{ text: `Marie-${read} Yardley`, x: 0.1, y: region.top }]);
    });
    const lines = cardLines([
      { text: 'Marie-Thérese Yardley', x: 0.1, y: 0.1, h: 0.06 },
      { text: 'Chief Revenue Officer', x: 0.1, y: 0.2 },
      { text: 'Floor 16, 473 Northbourne Avenue', x: 0.1, y: 0.7 },
      { text: 'Canberra ACT 2601, Australia', x: 0.1, y: 0.76 },
    ]);
    const fields = await extractCardFieldsAsync(lines, { refine });
    expect(fields.name).toBe('Marie-Thérèse Yardley');
    expect(languages).toEqual(['de', 'fr', 'es', 'it', 'pt']);
  });
});
