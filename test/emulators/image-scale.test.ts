import { describe, expect, it } from 'vitest';
import { flatten } from '../../src/emulators/textract/image-scale.js';

const WIDTH = 400;
const HEIGHT = 200;

/** A page of paper (230) with `marks` painted on: [top, bottom) rows × [left, right) columns at a grey level. */
function page(marks: { rows: [number, number]; cols: [number, number]; level: number }[], light = () => 1) {
  const grey = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++) {
      const mark = marks.find((m) => y >= m.rows[0] && y < m.rows[1] && x >= m.cols[0] && x < m.cols[1]);
      grey[y * WIDTH + x] = Math.round((mark?.level ?? 230) * light());
    }
  return grey;
}

const at = (out: Uint8Array, x: number, y: number) => out[y * WIDTH + x];

describe('flatten (page levelling)', () => {
  it('makes paper white and print black under light that falls off across the page', () => {
    let x = 0;
    const grey = page([{ rows: [90, 100], cols: [40, 360], level: 40 }], () => 1 - 0.5 * ((x++ % WIDTH) / WIDTH));
    for (const paper of ['mean', 'print'] as const) {
      const out = flatten(grey, WIDTH, HEIGHT, paper);
      for (const px of [20, 200, 390]) expect(at(out, px, 30)).toBe(255);
      for (const px of [50, 200, 350]) expect(at(out, px, 95)).toBe(0);
    }
  });

  it('print paper level: keeps thin light-grey print dark under a line of bold black print (the mean loses it)', () => {
    // bold print: 5 px strokes every 8 px over rows 76-100; thin grey print: rows 104-106
    const strokes = Array.from({ length: 40 }, (_, i) => ({
      rows: [76, 100] as [number, number],
      cols: [40 + 8 * i, 45 + 8 * i] as [number, number],
      level: 25,
    }));
    const grey = page([...strokes, { rows: [104, 106], cols: [50, 350], level: 150 }]);
    expect(at(flatten(grey, WIDTH, HEIGHT, 'mean'), 200, 105)).toBeGreaterThan(128);
    const out = flatten(grey, WIDTH, HEIGHT, 'print');
    for (const px of [60, 200, 340]) expect(at(out, px, 105)).toBeLessThan(128);
    expect(at(out, 200, 150)).toBe(255);
    expect(at(out, 200, 130)).toBe(255);
    expect(at(out, 41, 90)).toBe(0);
    expect(at(out, 46, 90)).toBe(255);
  });
});
