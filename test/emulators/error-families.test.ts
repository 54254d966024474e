import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSearchClient, CreateDomainCommand, DescribeDomainsCommand } from '@aws-sdk/client-cloudsearch';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-firehose';
import { GetObjectCommand, NoSuchBucket, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chaos } from '../../src/emulators/chaos/chaos.js';
import { createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { type EdgeServer, type EdgeService, startEdge } from '../../src/emulators/edge/index.js';
import { createFirehoseService } from '../../src/emulators/firehose/index.js';
import { GremlinEngineError } from '../../src/emulators/gremlin/engine/graph.js';
import { Bytecode } from '../../src/emulators/gremlin/engine/structure.js';
import { startGremlinServerCore } from '../../src/emulators/gremlin/server/server.js';
import { startOpenSearch } from '../../src/emulators/opensearch/index.js';
import { createS3Service, type S3Service } from '../../src/emulators/s3/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { createSqsService } from '../../src/emulators/sqs/index.js';

/**
 * One typed error family per wire protocol, each with one writer: what the real clients surface for a client error
 * (its name, `$fault: 'client'`, 4xx), for an emulator bug (a 5xx, never a 4xx), and for a chaos fault (written by
 * the same writer, in the service's own shape).
 */
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const client = { region: 'us-east-1', credentials, maxAttempts: 1 };
const require = createRequire(import.meta.url);
const gremlin = require('gremlin');

let dataDir: string;
let edge: EdgeServer;
let s3: S3Service;
const chaos = new Chaos(() => 0);
const failingService: EdgeService = {
  name: 'broken',
  signingNames: ['broken'],
  targetPrefixes: ['Broken_20240101'],
  async handle() {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  },
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-error-families-'));
  s3 = await createS3Service({ dataDir });
  const firehose = await createFirehoseService({ dataDir, bufferIntervalSeconds: 900 });
  const sqs = await createSqsService({ dataDir });
  const cloudsearch = createCloudSearchService({ engine: new SearchEngine() });
  edge = await startEdge({ port: 0, services: [s3, firehose, sqs, cloudsearch, failingService], chaos });
});

afterAll(async () => {
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<any> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the call was expected to fail').toBeInstanceOf(Error);
  return err;
}

describe('AWS JSON (Kinesis, Firehose, Textract, SQS, CloudSearch domain APIs, Lambda Invoke API)', () => {
  it('a client error is its modelled exception, an emulator bug a 500, a chaos fault the configured error', async () => {
    const firehose = new FirehoseClient({ ...client, endpoint: edge.url });
    const missing = await failure(firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'nope' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.$fault).toBe('client');
    expect(missing.$metadata.httpStatusCode).toBe(400);

    // the emulator cannot write its files: its own failure, not the caller's
    await rm(join(dataDir, 'firehose', 'streams'), { recursive: true, force: true });
    await writeFile(join(dataDir, 'firehose', 'streams'), 'not a directory');
    const broken = await failure(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'broken',
          S3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::b', RoleARN: 'arn:aws:iam::000000000000:role/r' },
        }),
      ),
    );
    expect(broken.name).toBe('InternalFailure');
    expect(broken.$metadata.httpStatusCode).toBe(500);

    chaos.setFaults([{ service: 'firehose', error: { statusCode: 503, code: 'ServiceUnavailableException' } }]);
    try {
      const fault = await failure(firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'nope' })));
      expect(fault.name).toBe('ServiceUnavailableException');
      expect(fault.$fault).toBe('server');
      expect(fault.$metadata.httpStatusCode).toBe(503);
    } finally {
      chaos.setFaults([]);
      firehose.destroy();
    }
  });

  it('SQS (JSON 1.0, query-compatible): the shape name and the query code; a broken store is a 500', async () => {
    const sqs = new SQSClient({ ...client, endpoint: edge.url });
    try {
      const missing = await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
      expect(missing).toBeInstanceOf(QueueDoesNotExist);
      expect(missing.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
      expect(missing.$fault).toBe('client');
      expect(missing.$metadata.httpStatusCode).toBe(400);

      await rm(join(dataDir, 'sqs', 'queues'), { recursive: true, force: true });
      await writeFile(join(dataDir, 'sqs', 'queues'), 'not a directory');
      const broken = await failure(sqs.send(new CreateQueueCommand({ QueueName: 'broken' })));
      expect(broken.name).toBe('InternalError');
      expect(broken.$metadata.httpStatusCode).toBe(500);

      chaos.setFaults([{ service: 'sqs', error: { statusCode: 400, code: 'RequestThrottled' } }]);
      const fault = await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
      expect(fault.name).toBe('RequestThrottled');
      expect(fault.$metadata.httpStatusCode).toBe(400);
    } finally {
      chaos.setFaults([]);
      sqs.destroy();
    }
  });

  it('an exception a service lets escape becomes InternalFailure (500) at the edge, never a 4xx', async () => {
    const res = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Broken_20240101.Anything', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-amzn-errortype')).toBe('InternalFailure');
    expect(await res.json()).toEqual({ __type: 'InternalFailure', message: expect.any(String) });
  });
});

describe('AWS query XML (CloudSearch configuration API, SQS query protocol)', () => {
  it('Sender faults are 4xx with the modelled exception, Receiver faults 5xx; chaos faults in the same XML', async () => {
    const config = new CloudSearchClient({ ...client, endpoint: edge.url });
    try {
      const invalid = await failure(config.send(new CreateDomainCommand({ DomainName: 'X' })));
      expect(invalid.name).toBe('ValidationException');
      expect(invalid.$fault).toBe('client');
      expect(invalid.$metadata.httpStatusCode).toBe(400);

      chaos.setFaults([{ service: 'cloudsearch', error: { statusCode: 500, code: 'InternalException' } }]);
      const fault = await failure(config.send(new DescribeDomainsCommand({})));
      expect(fault.name).toBe('InternalException');
      expect(fault.$fault).toBe('server');
      expect(fault.$metadata.httpStatusCode).toBe(500);
    } finally {
      chaos.setFaults([]);
      config.destroy();
    }

    // the query protocol's document, as an SDK v2 / boto client reads it
    const res = await fetch(edge.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: sqsScope },
      body: 'Action=GetQueueUrl&QueueName=<nope>&Version=2012-11-05',
    });
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xml).toContain('<Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
  });
});

const sqsScope =
  'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0';

describe('S3 XML', () => {
  it('NoSuchBucket is a client 404; an exception inside the store an InternalError 500; chaos as S3 XML', async () => {
    const client3 = new S3Client({ ...client, endpoint: edge.url, forcePathStyle: true });
    try {
      const missing = await failure(client3.send(new GetObjectCommand({ Bucket: 'no-such', Key: 'k' })));
      expect(missing).toBeInstanceOf(NoSuchBucket);
      expect(missing.$fault).toBe('client');
      expect(missing.$metadata.httpStatusCode).toBe(404);

      await s3.store.ensureBucket('errors');
      const write = s3.store.writeObject;
      s3.store.writeObject = () => {
        throw new TypeError('a bug');
      };
      try {
        const bug = await failure(client3.send(new PutObjectCommand({ Bucket: 'errors', Key: 'k', Body: 'x' })));
        expect(bug.name).toBe('InternalError');
        expect(bug.$fault).toBe('server');
        expect(bug.$metadata.httpStatusCode).toBe(500);
      } finally {
        s3.store.writeObject = write;
      }

      chaos.setFaults([{ service: 's3', error: { statusCode: 503, code: 'SlowDown' } }]);
      const fault = await failure(client3.send(new GetObjectCommand({ Bucket: 'errors', Key: 'k' })));
      expect(fault.name).toBe('SlowDown');
      expect(fault.$metadata.httpStatusCode).toBe(503);
    } finally {
      chaos.setFaults([]);
      client3.destroy();
    }
  });
});

describe('OpenSearch', () => {
  it('{error: {root_cause, type, reason}, status}: 404 for a missing index, 500 `exception` for a bug', async () => {
    const engine = new SearchEngine();
    engine.search = () => {
      throw new TypeError('a bug');
    };
    const server = await startOpenSearch({ port: 0, engine, chaos: new Chaos() });
    const os = new OpenSearchClient({ node: server.url });
    try {
      const missing = await failure(os.get({ index: 'nope', id: '1' }));
      expect(missing.meta.statusCode).toBe(404);
      expect(missing.meta.body.error.type).toBe('index_not_found_exception');
      expect(missing.meta.body.error.root_cause[0].type).toBe('index_not_found_exception');

      await os.indices.create({ index: 'docs' });
      const bug = await failure(os.search({ index: 'docs', body: { query: { match_all: {} } } }));
      expect(bug.meta.statusCode).toBe(500);
      expect(bug.meta.body).toEqual({
        error: { root_cause: [{ type: 'exception', reason: 'a bug' }], type: 'exception', reason: 'a bug' },
        status: 500,
      });
    } finally {
      await os.close();
      await server.close();
    }
  });
});

describe('Gremlin (TinkerPop status codes, Neptune envelope)', () => {
  const engine = {
    parse: (script: string) => new Bytecode().addStep(script, []),
    execute(bytecode: Bytecode) {
      const step = bytecode.stepInstructions[0]?.[0];
      if (step === 'engineError') throw new GremlinEngineError('The provided traverser does not map to a value');
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    },
  };

  it.each(['tinkerpop', 'neptune'] as const)(
    '%s: an evaluation error is a 597, an emulator bug a 500',
    async (dialect) => {
      const server = await startGremlinServerCore({
        port: 0,
        dialect,
        engine: engine as never,
        graph: { toJSON: () => ({}) },
        chaos: new Chaos(),
      });
      const c = new gremlin.driver.Client(server.url, { traversalSource: 'g' });
      try {
        const evaluation = await failure(c.submit('engineError'));
        expect(evaluation.statusCode).toBe(597);
        const bug = await failure(c.submit('anything'));
        expect(bug.statusCode).toBe(500);
        if (dialect === 'neptune') {
          expect(JSON.parse(bug.statusMessage)).toMatchObject({ code: 'InternalFailureException' });
        } else expect(bug.statusMessage).toMatch(/Cannot read properties/);
      } finally {
        await c.close();
        await server.close();
      }
    },
  );
});
