import type { KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, isRawCardImageKey, parseImageKey } from '../../src/domain/image-key.js';
import { decodeKinesisRecords, recordJson } from '../../src/runtime/kinesis-records.js';

describe('image keys', () => {
  it('decodes S3 event keys: + is a space, then percent escapes (%2B is a literal +)', () => {
    expect(decodeS3EventKey('bizcard-raw-img/a+b%2Bc%20d_%E2%82%AC.jpg')).toBe('bizcard-raw-img/a b+c d_€.jpg');
  });

  it('parses owner and image id from the file name', () => {
    expect(parseImageKey('bizcard-raw-img/edy_a0653895773.jpg')).toEqual({
      imageId: 'edy_a0653895773.jpg',
      owner: 'edy',
    });
    expect(parseImageKey('bizcard-raw-img/kim_lee_2.png')).toEqual({ imageId: 'kim_lee_2.png', owner: 'kim' });
    expect(parseImageKey('bizcard-raw-img/solo.jpeg')).toEqual({ imageId: 'solo.jpeg', owner: 'solo' });
  });

  it('accepts only .jpg/.jpeg/.png (any case) directly or below bizcard-raw-img/', () => {
    expect(isRawCardImageKey('bizcard-raw-img/a_1.JPG')).toBe(true);
    expect(isRawCardImageKey('bizcard-raw-img/a_1.Png')).toBe(true);
    expect(isRawCardImageKey('bizcard-raw-img/a_1.gif')).toBe(false);
    expect(isRawCardImageKey('bizcard-raw-img/a_1.jpg.txt')).toBe(false);
    expect(isRawCardImageKey('other/bizcard-raw-img/a_1.jpg')).toBe(false);
    expect(isRawCardImageKey('bizcard-raw-img/')).toBe(false);
  });
});

describe('decodeKinesisRecords', () => {
  it('returns one record per Kinesis record with the payload decoded from base64', () => {
    const event = {
      Records: [
        {
          kinesis: {
            sequenceNumber: '1',
            partitionKey: 'p',
            data: Buffer.from('{"a":1}').toString('base64'),
            approximateArrivalTimestamp: 5,
          },
        },
        {
          kinesis: {
            sequenceNumber: '2',
            partitionKey: 'q',
            data: Buffer.from([0xff, 0x00]).toString('base64'),
            approximateArrivalTimestamp: 6,
          },
        },
      ],
    } as KinesisStreamEvent;
    const records = decodeKinesisRecords(event);
    expect(records.map((r) => [r.sequenceNumber, r.partitionKey, r.approximateArrivalTimestamp])).toEqual([
      ['1', 'p', 5],
      ['2', 'q', 6],
    ]);
    expect(recordJson(records[0])).toEqual({ a: 1 });
    expect([...records[1].data]).toEqual([0xff, 0x00]);
    expect(() => recordJson(records[1])).toThrow(SyntaxError);
  });
});
