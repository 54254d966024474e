/** Lucene's BM25Similarity (k1 1.2, b 0.75) with its one-byte length norms, in float arithmetic like Lucene. */
const f = Math.fround;

// SmallFloat.intToByte4 / byte4ToInt: lengths are stored as a byte, so large lengths lose precision.
function longToInt4(i: number): number {
  const numBits = i === 0 ? 0 : 32 - Math.clz32(i);
  if (numBits < 4) return i;
  const shift = numBits - 4;
  let encoded = (i >>> shift) & 0x07;
  encoded |= (shift + 1) << 3;
  return encoded;
}

function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}

const MAX_INT4 = longToInt4(2 ** 31 - 1);
const NUM_FREE_VALUES = 255 - MAX_INT4;

export function intToByte4(i: number): number {
  if (i < NUM_FREE_VALUES) return i;
  return NUM_FREE_VALUES + longToInt4(i - NUM_FREE_VALUES);
}

export function byte4ToInt(b: number): number {
  if (b < NUM_FREE_VALUES) return b;
  return NUM_FREE_VALUES + int4ToLong(b - NUM_FREE_VALUES);
}

const LENGTH_TABLE: number[] = Array.from({ length: 256 }, (_, i) => byte4ToInt(i));

export const K1 = 1.2;
export const B = 0.75;

export function idf(docFreq: number, docCount: number): number {
  return f(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
}

/** Scores one term (or phrase) for many documents of one field, given the field statistics. */
export class Bm25Scorer {
  private readonly weight: number;
  private readonly cache: Float32Array;

  constructor(boost: number, idfValue: number, docCount: number, sumTotalTermFreq: number) {
    this.weight = f(f(boost) * idfValue);
    const avgdl = docCount > 0 ? f(sumTotalTermFreq / docCount) : 1;
    this.cache = new Float32Array(256);
    for (let i = 0; i < 256; i++) this.cache[i] = f(1 / f(K1 * f(f(1 - B) + f(f(B * LENGTH_TABLE[i]) / avgdl))));
  }

  /** `fieldLength` is the token count; `null` means the field has no norms (keyword), which Lucene treats as 1. */
  score(freq: number, fieldLength: number | null): number {
    const normInverse = this.cache[fieldLength === null ? 1 : intToByte4(fieldLength)];
    return f(this.weight - f(this.weight / f(1 + f(freq * normInverse))));
  }
}
