import { describe, expect, it } from 'vitest';
import { CloudSearchError } from '../../src/emulators/cloudsearch/errors.js';
import { parseLucene, parseSimple, parseStructured } from '../../src/emulators/cloudsearch/query-parser.js';
import { parseRelaxedJson } from '../../src/emulators/cloudsearch/relaxed-json.js';

describe('simple parser', () => {
  it('joins terms with the default operator and honours + - | and groups', () => {
    expect(parseSimple('star wars')).toEqual({
      kind: 'and',
      items: [
        { kind: 'term', value: 'star' },
        { kind: 'term', value: 'wars' },
      ],
    });
    expect(parseSimple('star wars', 'or')).toEqual({
      kind: 'or',
      items: [
        { kind: 'term', value: 'star' },
        { kind: 'term', value: 'wars' },
      ],
    });
    expect(parseSimple('star -wars')).toEqual({
      kind: 'and',
      items: [
        { kind: 'term', value: 'star' },
        { kind: 'not', item: { kind: 'term', value: 'wars' } },
      ],
    });
    expect(parseSimple('a|(b +c)')).toEqual({
      kind: 'or',
      items: [
        { kind: 'term', value: 'a' },
        {
          kind: 'and',
          items: [
            { kind: 'term', value: 'b' },
            { kind: 'term', value: 'c' },
          ],
        },
      ],
    });
  });

  it('reads phrases with slop and prefixes', () => {
    expect(parseSimple('"star wars"~2')).toEqual({ kind: 'phrase', value: 'star wars', slop: 2 });
    expect(parseSimple('sta*')).toEqual({ kind: 'prefix', value: 'sta' });
  });

  it('rejects unbalanced input', () => {
    expect(() => parseSimple('"open')).toThrow(CloudSearchError);
    expect(() => parseSimple('(a b')).toThrow(/missing '\)'/);
    expect(() => parseSimple('   ')).toThrow(CloudSearchError);
  });
});

describe('structured parser', () => {
  it('reads compound operators with options and nested leaves', () => {
    expect(parseStructured("(and boost=2 (term field=title 'star') (not (range field=year {,1990])))")).toEqual({
      kind: 'and',
      boost: 2,
      items: [
        { kind: 'term', field: 'title', value: 'star' },
        { kind: 'not', item: { kind: 'range', field: 'year', upper: '1990', includeLower: false, includeUpper: true } },
      ],
    });
  });

  it('reads field:value, ranges, escaped quotes, near and matchall', () => {
    expect(parseStructured("title:'it\\'s'")).toEqual({ kind: 'term', field: 'title', value: "it's" });
    expect(parseStructured('year:[1967,}')).toEqual({
      kind: 'range',
      field: 'year',
      lower: '1967',
      includeLower: true,
      includeUpper: false,
    });
    expect(parseStructured("(near field=plot distance=4 'naval mutiny')")).toEqual({
      kind: 'phrase',
      field: 'plot',
      value: 'naval mutiny',
      slop: 4,
    });
    expect(parseStructured('matchall')).toEqual({ kind: 'matchall' });
    expect(parseStructured("(or field=genre 'Drama' 'Comedy')")).toEqual({
      kind: 'or',
      items: [
        { kind: 'term', field: 'genre', value: 'Drama' },
        { kind: 'term', field: 'genre', value: 'Comedy' },
      ],
    });
  });

  it('rejects malformed expressions', () => {
    for (const bad of [
      '(and',
      '(frob x)',
      "(term field=a 'x' 'y')",
      '(range field=a 5)',
      "(not 'a' 'b')",
      "'unterminated",
      'a:[1,2',
    ]) {
      expect(() => parseStructured(bad), bad).toThrow(CloudSearchError);
    }
  });
});

describe('lucene parser', () => {
  it('reads field:value, boolean operators, ranges and boosts', () => {
    expect(parseLucene('title:star AND NOT genre:Horror')).toEqual({
      kind: 'and',
      items: [
        { kind: 'term', field: 'title', value: 'star' },
        { kind: 'not', item: { kind: 'term', field: 'genre', value: 'Horror' } },
      ],
    });
    expect(parseLucene('year:[1970 TO 1980} OR title:"star wars"^2')).toEqual({
      kind: 'or',
      items: [
        { kind: 'range', field: 'year', lower: '1970', upper: '1980', includeLower: true, includeUpper: false },
        { kind: 'phrase', field: 'title', value: 'star wars', boost: 2 },
      ],
    });
    expect(parseLucene('title:(star wars)', 'or')).toEqual({
      kind: 'or',
      items: [
        { kind: 'term', field: 'title', value: 'star' },
        { kind: 'term', field: 'title', value: 'wars' },
      ],
    });
    expect(parseLucene('+a -b c*', 'or')).toEqual({
      kind: 'and',
      items: [
        { kind: 'term', value: 'a' },
        { kind: 'not', item: { kind: 'term', value: 'b' } },
      ],
      should: [{ kind: 'prefix', value: 'c' }],
    });
  });

  it('rejects malformed expressions', () => {
    for (const bad of ['(a', 'year:[1 TO', '"open', 'AND'])
      expect(() => parseLucene(bad), bad).toThrow(CloudSearchError);
  });
});

describe('relaxed JSON options', () => {
  it('accepts single quotes and bare keys as CloudSearch does', () => {
    expect(parseRelaxedJson("{sort:'count', size:5}")).toEqual({ sort: 'count', size: 5 });
    expect(parseRelaxedJson("{fields:['title^2','body'], defaultOperator:'or'}")).toEqual({
      fields: ['title^2', 'body'],
      defaultOperator: 'or',
    });
    expect(parseRelaxedJson('{"buckets":["[0,10}","it\'s"]}')).toEqual({ buckets: ['[0,10}', "it's"] });
  });
});
