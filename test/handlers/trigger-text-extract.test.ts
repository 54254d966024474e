import type { S3Event, S3EventRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStream, createMemoryStatusStore } from '../../src/adapters/memory/index.js';
import { IMAGE_STREAM } from '../../src/domain/names.js';
import { createTriggerTextExtract } from '../../src/handlers/trigger-text-extract.js';

function s3Record(bucket: string, encodedKey: string): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: new Date().toISOString(),
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'local' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'cards',
      bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodedKey, size: 10, eTag: 'e', sequencer: '01' },
    },
  };
}

function setup() {
  const streams = createMemoryEventStream();
  const status = createMemoryStatusStore();
  return { streams, status, handler: createTriggerTextExtract({ streams, status }) };
}

describe('trigger-text-extract', () => {
  it('puts one image-stream record per card image of a multi-record event and marks each START', async () => {
    const { streams, status, handler } = setup();
    const event: S3Event = {
      Records: [
        s3Record('octember-bizcard', 'bizcard-raw-img/edy_a0653895773.jpg'),
        s3Record('octember-bizcard', 'bizcard-raw-img/kim_b1.png'),
      ],
    };
    await handler(event);
    expect(streams.json(IMAGE_STREAM)).toEqual([
      { s3_bucket: 'octember-bizcard', s3_key: 'bizcard-raw-img/edy_a0653895773.jpg' },
      { s3_bucket: 'octember-bizcard', s3_key: 'bizcard-raw-img/kim_b1.png' },
    ]);
    expect(streams.puts.map((put) => put.partitionKey)).toEqual(['edy_a0653895773.jpg', 'kim_b1.png']);
    const first = await status.get('edy_a0653895773.jpg');
    expect(first).toMatchObject({
      status: 'START',
      owner: 'edy',
      s3_bucket: 'octember-bizcard',
      s3_key: 'bizcard-raw-img/edy_a0653895773.jpg',
      data: null,
    });
    expect(Number.isNaN(Date.parse(first?.updated_at ?? ''))).toBe(false);
    expect((await status.get('kim_b1.png'))?.owner).toBe('kim');
  });

  it('URL-decodes keys: + is a space, %xx escapes are decoded', async () => {
    const { streams, status, handler } = setup();
    await handler({ Records: [s3Record('b', 'bizcard-raw-img/j%C3%BCrgen_card+one%2B1.JPG')] });
    expect(streams.json(IMAGE_STREAM)).toEqual([{ s3_bucket: 'b', s3_key: 'bizcard-raw-img/jürgen_card one+1.JPG' }]);
    expect(await status.get('jürgen_card one+1.JPG')).toMatchObject({ owner: 'jürgen', status: 'START' });
  });

  it('ignores keys outside bizcard-raw-img/, non-image extensions and non-create events, keeping the valid ones', async () => {
    const { streams, handler } = setup();
    const result = await handler({
      Records: [
        s3Record('b', 'items/catalogue.csv'),
        s3Record('b', 'bizcard-by-user/edy/edy_1.jpg'),
        s3Record('b', 'bizcard-raw-img/notes.txt'),
        s3Record('b', 'bizcard-raw-img/edy_photo.gif'),
        s3Record('b', 'bizcard-raw-img/edy_ok.JPEG'),
        { ...s3Record('b', 'bizcard-raw-img/edy_removed.jpg'), eventName: 'ObjectRemoved:Delete' },
      ],
    });
    expect(streams.json(IMAGE_STREAM)).toEqual([{ s3_bucket: 'b', s3_key: 'bizcard-raw-img/edy_ok.JPEG' }]);
    expect(result.ignored).toHaveLength(5);
  });

  it('handles the other records and then fails the invocation when a put fails', async () => {
    const { streams, status, handler } = setup();
    streams.refuse = (_stream, record) => record.partitionKey === 'bad_1.jpg';
    await expect(
      handler({ Records: [s3Record('b', 'bizcard-raw-img/bad_1.jpg'), s3Record('b', 'bizcard-raw-img/good_2.jpg')] }),
    ).rejects.toThrow(/1 of 2 records failed/);
    expect(streams.json(IMAGE_STREAM)).toEqual([{ s3_bucket: 'b', s3_key: 'bizcard-raw-img/good_2.jpg' }]);
    expect(await status.get('bad_1.jpg')).toMatchObject({
      status: 'FAILED',
      error: 'stream octember-bizcard-img refused the record',
    });
    expect((await status.get('good_2.jpg'))?.status).toBe('START');
  });
});
