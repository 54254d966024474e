import { describe, expect, it } from 'vitest';
import { generateSampleEvent, payloadBase64 } from '../../src/cockpit/sample-events.js';
import { deaggregate } from '../../src/domain/kpl.js';
import { createKplDeaggregate } from '../../src/handlers/kpl-deaggregate.js';
import { describeEventSource } from '../../src/runtime/event-source.js';

type S3Out = {
  Records: {
    eventName: string;
    eventSource: string;
    s3: { bucket: { name: string; arn: string }; object: Record<string, unknown> };
  }[];
};

describe('octember events generate (SAM names, AWS shapes)', () => {
  it('s3 put: an ObjectCreated:Put record with the key URL-encoded as S3 sends it', () => {
    const event = generateSampleEvent('s3', 'put', { bucket: 'b', key: 'bizcard-raw-img/edy card+1 (x).jpg' }) as S3Out;
    const record = event.Records[0];
    expect(record.eventSource).toBe('aws:s3');
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.s3.bucket).toMatchObject({ name: 'b', arn: 'arn:aws:s3:::b' });
    expect(record.s3.object.key).toBe('bizcard-raw-img/edy+card%2B1+%28x%29.jpg');
    expect(Object.keys(record.s3.object)).toEqual(['key', 'size', 'eTag', 'sequencer']);
    expect(Object.keys(record)).toEqual([
      'eventVersion',
      'eventSource',
      'awsRegion',
      'eventTime',
      'eventName',
      'userIdentity',
      'requestParameters',
      'responseElements',
      's3',
    ]);
  });

  it('s3 delete: ObjectRemoved:Delete with no size or eTag', () => {
    const event = generateSampleEvent('s3', 'delete', { key: 'items/a.csv' }) as S3Out;
    expect(event.Records[0].eventName).toBe('ObjectRemoved:Delete');
    expect(event.Records[0].s3.object).not.toHaveProperty('size');
  });

  it('kinesis get-records: the payload base64-encoded in a Kinesis stream record', () => {
    const event = generateSampleEvent('kinesis', 'get-records', { data: '{"a":1}', stream: 's1' }) as {
      Records: { kinesis: { data: string }; eventSourceARN: string }[];
    };
    expect(Buffer.from(event.Records[0].kinesis.data, 'base64').toString()).toBe('{"a":1}');
    expect(event.Records[0].eventSourceARN).toBe('arn:aws:kinesis:us-east-1:000000000000:stream/s1');
    expect(describeEventSource(event)).toEqual({ source: 'kinesis', sourceDetail: 's1', records: 1 });
  });

  it('kinesis kinesis-firehose: a transformation event; base64 data is kept as SAM does, anything else encoded', () => {
    expect(payloadBase64('SGVsbG8=')).toBe('SGVsbG8=');
    expect(payloadBase64('{"a":1}')).toBe(Buffer.from('{"a":1}').toString('base64'));
    const event = generateSampleEvent('kinesis', 'kinesis-firehose', { data: '{"a":1}' }) as {
      records: { recordId: string; data: string }[];
      deliveryStreamArn: string;
    };
    expect(event.deliveryStreamArn).toMatch(/:deliverystream\/octember-interactions-to-s3$/);
    expect(describeEventSource(event).source).toBe('firehose');
  });

  it('kinesis analytics-kpl: one KPL-aggregated record that kpl-deaggregate opens', async () => {
    const event = generateSampleEvent('kinesis', 'analytics-kpl', { data: '{"user_id":"u1"}' }) as {
      records: { recordId: string; data: string }[];
    };
    expect(deaggregate(Buffer.from(event.records[0].data, 'base64')).map((r) => r.data.toString())).toEqual([
      '{"user_id":"u1"}',
    ]);
    const result = await createKplDeaggregate()(event as never);
    expect(Buffer.from(result.records[0].data ?? '', 'base64').toString()).toBe('{"user_id":"u1"}\n');
  });

  it('apigateway aws-proxy: resource and path parameters from the topology route', () => {
    const event = generateSampleEvent('apigateway', 'aws-proxy', {
      method: 'GET',
      path: '/v1/status/edy_1.jpg?x=1',
    }) as Record<string, unknown>;
    expect(event).toMatchObject({
      resource: '/status/{imageId}',
      path: '/status/edy_1.jpg',
      httpMethod: 'GET',
      pathParameters: { imageId: 'edy_1.jpg' },
      queryStringParameters: { x: '1' },
      isBase64Encoded: false,
      requestContext: { stage: 'v1', path: '/v1/status/edy_1.jpg', resourcePath: '/status/{imageId}' },
    });
    const put = generateSampleEvent('apigateway', 'aws-proxy', {
      method: 'PUT',
      path: '/octember-bizcard/items/a.csv',
      body: 'x',
    }) as Record<string, unknown>;
    expect(put).toMatchObject({
      pathParameters: { bucket: 'octember-bizcard', object: 'items/a.csv' },
      isBase64Encoded: true,
      body: 'eA==',
    });
  });

  it('sqs receive-message: the body and its MD5', () => {
    const event = generateSampleEvent('sqs', 'receive-message', { body: 'hi' }) as {
      Records: { md5OfBody: string; body: string }[];
    };
    expect(event.Records[0]).toMatchObject({ body: 'hi', md5OfBody: '49f68a5c8493ec2c0bf489821c21fc3b' });
  });

  it('names an unknown service or event with the known ones', () => {
    expect(() => generateSampleEvent('dynamodb', 'update', {})).toThrow(/choose from s3, kinesis, apigateway, sqs/);
    expect(() => generateSampleEvent('s3', 'copy', {})).toThrow(/choose from put, delete/);
  });
});
