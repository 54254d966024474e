import { createHash, randomUUID } from 'node:crypto';
import { aggregate } from '../domain/kpl.js';
import { encodeEventKey } from '../emulators/s3/notifications.js';
import { LOCAL_ACCOUNT_ID } from '../runtime/lambda-context.js';
import { TOPOLOGY, type Topology } from '../topology/index.js';

/** One option of a sample event, SAM-style (`--bucket`, `--partition-key`, ...). */
export interface SampleOption {
  name: string;
  help: string;
  default: string;
}

export interface SampleEventDef {
  help: string;
  options: SampleOption[];
  build(values: Record<string, string>, topology: Topology): unknown;
}

const SEQUENCE = '49545115243490985018280067714973144582180062593244200961';
const common = (extra: SampleOption[]): SampleOption[] => [
  ...extra,
  { name: 'region', help: 'the region the event comes from', default: 'us-east-1' },
  { name: 'partition', help: 'the AWS partition', default: 'aws' },
];

/** `--data` of stream and Firehose events is the payload; a value that already is base64 is used as it is (SAM). */
export function payloadBase64(value: string): string {
  const looksBase64 = value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length > 0;
  return looksBase64 ? value : Buffer.from(value, 'utf8').toString('base64');
}

function s3Record(v: Record<string, string>, eventName: string) {
  const created = eventName.startsWith('ObjectCreated');
  const object: Record<string, unknown> = { key: encodeEventKey(v.key) };
  if (created) {
    object.size = Number(v.size);
    object.eTag = v.etag;
  }
  object.sequencer = '0A1B2C3D4E5F678901';
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: v.region,
        eventTime: new Date().toISOString(),
        eventName,
        userIdentity: { principalId: `AWS:${LOCAL_ACCOUNT_ID}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': 'EXAMPLE123456789',
          'x-amz-id-2': 'EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'testConfigRule',
          bucket: {
            name: v.bucket,
            ownerIdentity: { principalId: LOCAL_ACCOUNT_ID },
            arn: `arn:${v.partition}:s3:::${v.bucket}`,
          },
          object,
        },
      },
    ],
  };
}

function firehoseEvent(v: Record<string, string>, data: string) {
  const now = Date.now();
  return {
    invocationId: randomUUID(),
    deliveryStreamArn: `arn:${v.partition}:firehose:${v.region}:${LOCAL_ACCOUNT_ID}:deliverystream/${v['delivery-stream']}`,
    region: v.region,
    records: [{ recordId: `${SEQUENCE}000000000000`, approximateArrivalTimestamp: now, data }],
  };
}

/** Matches a request path (with or without the stage) to a topology route: resource, path parameters. */
function matchRoute(method: string, path: string, topology: Topology) {
  const stage = `/${topology.api.stage}`;
  const bare = path.startsWith(`${stage}/`) ? path.slice(stage.length) : path;
  const parts = bare.split('/').filter(Boolean);
  for (const route of topology.api.routes) {
    if (route.method !== method) continue;
    const segments = route.path.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const m = /^\{([^}+]+)(\+)?\}$/.exec(segments[i]);
      if (m?.[2]) {
        if (parts.length <= i) ok = false;
        else params[m[1]] = parts.slice(i).map(decodeURIComponent).join('/');
        return ok ? { route, params, bare } : undefined;
      }
      if (parts[i] === undefined) ok = false;
      else if (m) params[m[1]] = decodeURIComponent(parts[i]);
      else if (segments[i] !== parts[i]) ok = false;
    }
    if (ok && parts.length === segments.length) return { route, params, bare };
  }
  return undefined;
}

function apiProxyEvent(v: Record<string, string>, topology: Topology) {
  const method = v.method.toUpperCase();
  const [rawPath, rawQuery = ''] = v.path.split('?');
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const matched = matchRoute(method, path, topology);
  const query = new URLSearchParams(rawQuery);
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, val] of query) {
    single[k] = val;
    multi[k] = [...(multi[k] ?? []), val];
  }
  const binary = matched?.route.binaryBody === true;
  const headers = {
    Accept: '*/*',
    Host: `1234567890.execute-api.${v.region}.amazonaws.com`,
    'User-Agent': 'octember-events',
    'X-Forwarded-For': '127.0.0.1',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
    ...(v.body ? { 'Content-Type': binary ? 'application/octet-stream' : 'application/json' } : {}),
  };
  const resource = matched?.route.path ?? '/{proxy+}';
  const stagePath = `/${topology.api.stage}${matched?.bare ?? path}`;
  return {
    resource,
    path: matched?.bare ?? path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, val]) => [k, [val]])),
    queryStringParameters: Object.keys(single).length > 0 ? single : null,
    multiValueQueryStringParameters: Object.keys(multi).length > 0 ? multi : null,
    pathParameters: matched ? (Object.keys(matched.params).length > 0 ? matched.params : null) : { proxy: path },
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: '1234567890',
      resourceId: '123456',
      resourcePath: resource,
      httpMethod: method,
      stage: topology.api.stage,
      path: stagePath,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: new Date().toUTCString(),
      requestTimeEpoch: Date.now(),
      identity: {
        sourceIp: '127.0.0.1',
        userAgent: 'octember-events',
        apiKey: null,
        accessKey: null,
        accountId: null,
        caller: null,
        user: null,
        userArn: null,
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
      },
    },
    body: v.body ? (binary ? Buffer.from(v.body).toString('base64') : v.body) : null,
    isBase64Encoded: Boolean(v.body) && binary,
  };
}

/** SAM's service and event names; shapes as AWS delivers them (S3 keys URL-encoded as S3 sends them). */
export const SAMPLE_EVENTS: Record<string, Record<string, SampleEventDef>> = {
  s3: {
    put: {
      help: 'an S3 ObjectCreated:Put notification',
      options: common([
        { name: 'bucket', help: 'bucket name', default: TOPOLOGY.resources.bucket.name },
        {
          name: 'key',
          help: 'object key (URL-encoded in the event as S3 does)',
          default: 'bizcard-raw-img/edy_sample.jpg',
        },
        { name: 'size', help: 'object size in bytes', default: '1024' },
        { name: 'etag', help: 'object ETag', default: '0123456789abcdef0123456789abcdef' },
      ]),
      build: (v) => s3Record(v, 'ObjectCreated:Put'),
    },
    delete: {
      help: 'an S3 ObjectRemoved:Delete notification',
      options: common([
        { name: 'bucket', help: 'bucket name', default: TOPOLOGY.resources.bucket.name },
        { name: 'key', help: 'object key (URL-encoded in the event as S3 does)', default: 'items/sample-items.csv' },
      ]),
      build: (v) => s3Record(v, 'ObjectRemoved:Delete'),
    },
  },
  kinesis: {
    'get-records': {
      help: 'a Kinesis Data Streams event (what an event source mapping delivers)',
      options: common([
        { name: 'data', help: 'record payload (base64-encoded in the event)', default: 'Hello, this is a test 123.' },
        { name: 'partition-key', help: 'partition key', default: 'partitionKey-03' },
        { name: 'sequence', help: 'sequence number', default: SEQUENCE },
        { name: 'stream', help: 'stream name (in eventSourceARN)', default: TOPOLOGY.resources.streams[0].name },
      ]),
      build: (v) => ({
        Records: [
          {
            kinesis: {
              kinesisSchemaVersion: '1.0',
              partitionKey: v['partition-key'],
              sequenceNumber: v.sequence,
              data: payloadBase64(v.data),
              approximateArrivalTimestamp: Date.now() / 1000,
            },
            eventSource: 'aws:kinesis',
            eventVersion: '1.0',
            eventID: `shardId-000000000000:${v.sequence}`,
            eventName: 'aws:kinesis:record',
            invokeIdentityArn: `arn:${v.partition}:iam::${LOCAL_ACCOUNT_ID}:role/lambda-role`,
            awsRegion: v.region,
            eventSourceARN: `arn:${v.partition}:kinesis:${v.region}:${LOCAL_ACCOUNT_ID}:stream/${v.stream}`,
          },
        ],
      }),
    },
    'kinesis-firehose': {
      help: 'a Firehose data-transformation event (what a processor Lambda receives)',
      options: common([
        {
          name: 'data',
          help: 'record payload (base64 as it is, anything else is encoded)',
          default: 'Hello, this is a test 123.',
        },
        { name: 'delivery-stream', help: 'delivery stream name', default: TOPOLOGY.deliveryStreams[1].name },
      ]),
      build: (v) => firehoseEvent(v, payloadBase64(v.data)),
    },
    'analytics-kpl': {
      help: 'a transformation event whose record is KPL-aggregated (the payload is one user record inside it)',
      options: common([
        { name: 'data', help: 'user record payload', default: '{"user_id":"u1","item_id":"i1","event_type":"click"}' },
        { name: 'partition-key', help: 'the user record partition key', default: 'partitionKey-01' },
        { name: 'delivery-stream', help: 'delivery stream name', default: TOPOLOGY.deliveryStreams[1].name },
      ]),
      build: (v) =>
        firehoseEvent(
          v,
          aggregate([{ partitionKey: v['partition-key'], data: Buffer.from(v.data, 'utf8') }]).toString('base64'),
        ),
    },
  },
  apigateway: {
    'aws-proxy': {
      help: 'an API Gateway REST proxy event (the route, resource and path parameters come from the topology)',
      options: common([
        { name: 'method', help: 'HTTP method', default: 'GET' },
        {
          name: 'path',
          help: 'request path, with or without the stage, query string allowed',
          default: '/status/edy_sample.jpg',
        },
        { name: 'body', help: 'request body', default: '' },
      ]),
      build: (v, topology) => apiProxyEvent(v, topology),
    },
  },
  sqs: {
    'receive-message': {
      help: 'an SQS event (what an SQS event source mapping delivers)',
      options: common([
        { name: 'body', help: 'message body', default: 'Hello from SQS!' },
        { name: 'queue-name', help: 'queue name', default: 'MyQueue' },
      ]),
      build: (v) => ({
        Records: [
          {
            messageId: randomUUID(),
            receiptHandle: 'MessageReceiptHandle',
            body: v.body,
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: String(Date.now()),
              SenderId: LOCAL_ACCOUNT_ID,
              ApproximateFirstReceiveTimestamp: String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: createHash('md5').update(v.body).digest('hex'),
            eventSource: 'aws:sqs',
            eventSourceARN: `arn:${v.partition}:sqs:${v.region}:${LOCAL_ACCOUNT_ID}:${v['queue-name']}`,
            awsRegion: v.region,
          },
        ],
      }),
    },
  },
};

export class UnknownSampleEventError extends Error {}

/** The event, with every option not given taking its default. */
export function generateSampleEvent(
  service: string,
  event: string,
  given: Record<string, string | undefined>,
  topology: Topology = TOPOLOGY,
): unknown {
  const events = SAMPLE_EVENTS[service];
  if (!events) {
    throw new UnknownSampleEventError(
      `unknown service ${service}; choose from ${Object.keys(SAMPLE_EVENTS).join(', ')}`,
    );
  }
  const def = events[event];
  if (!def)
    throw new UnknownSampleEventError(
      `unknown ${service} event ${event}; choose from ${Object.keys(events).join(', ')}`,
    );
  const values: Record<string, string> = {};
  for (const option of def.options) values[option.name] = given[option.name] ?? option.default;
  return def.build(values, topology);
}
