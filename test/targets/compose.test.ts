import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LocalstackContainer } from '@testcontainers/localstack';
import { OpenSearchContainer } from '@testcontainers/opensearch';
import { RedisContainer } from '@testcontainers/redis';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { containerDefinitions } from '../../src/targets/containers-docker.js';
import {
  containerSpecs,
  LOCALSTACK_COMMUNITY_IMAGE,
  localStackImage,
  localStackNeedsToken,
} from '../../src/targets/containers-services.js';

// What can be checked about the Docker side without a Docker engine.

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
}

const composeText = await readFile('docker-compose.yml', 'utf8');
const compose = parse(composeText) as { services: Record<string, ComposeService> };
/** The image compose runs when no variable overrides it (`${VAR:-default}`). */
const defaultImage = (image = '') => image.replace(/^\$\{[A-Z_]+:-(.+)\}$/, '$1');

/** The Compose Specification's JSON schema, as the dclint package ships it (compose-spec/compose-spec, schema/). */
async function composeSchema(): Promise<object> {
  const pkg = createRequire(import.meta.url).resolve('dclint/package.json');
  const schema = JSON.parse(await readFile(join(dirname(pkg), 'schemas', 'compose.schema.json'), 'utf8'));
  // It names draft-07 by its https URI, which Ajv's draft-07 (its default) does not register under.
  expect(schema.$schema).toMatch(/draft-07/);
  delete schema.$schema;
  return schema as object;
}

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema (and the validator does reject a broken file)', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(await composeSchema());
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.redis.healthcheck = { test: ['CMD', 'redis-cli', 'ping'], retries: 'many' };
    broken.services.gremlin.portz = ['8182:8182'];
    expect(validate(broken)).toBe(false);
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const image = defaultImage(service.image);
      expect(image, `${name} image`).toMatch(/^[\w./-]+:\d+\.\d+(\.\d+)?(-[\w.]+)?$/);
    }
    expect(defaultImage(compose.services.localstack.image)).toBe(LOCALSTACK_COMMUNITY_IMAGE);
  });

  it('declares the same containers as the testcontainers setup: images, ports, settings, commands, health checks', () => {
    for (const spec of containerSpecs({})) {
      const service = compose.services[spec.name];
      expect(service, spec.name).toBeDefined();
      if (spec.image) expect(defaultImage(service.image)).toBe(spec.image);
      else expect(service.build).toMatchObject({ dockerfile: spec.dockerfile });
      for (const [container, host] of Object.entries(spec.ports))
        expect(service.ports).toContain(`${host}:${container}`);
      const env = { ...service.environment };
      delete env.LOCALSTACK_AUTH_TOKEN;
      expect(env, spec.name).toEqual(spec.env);
      if (spec.command) expect(service.command).toEqual(spec.command);
      expect(service.healthcheck?.test).toEqual(spec.healthcheck);
      for (const [source, target] of Object.entries(spec.files ?? {})) {
        expect(service.volumes).toContain(`./${source}:${target}:ro`);
      }
      if (spec.dockerSocket) expect(service.volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    }
    expect(compose.services.localstack.environment).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, passed through as written
      LOCALSTACK_AUTH_TOKEN: '${LOCALSTACK_AUTH_TOKEN:-}',
      KINESIS_LATENCY: '0',
    });
    expect(compose.services.localstack.environment?.SERVICES.split(',')).toEqual(
      expect.arrayContaining(['s3', 'sqs', 'kinesis', 'firehose', 'lambda']),
    );
  });
});

describe('LocalStack and its auth token', () => {
  it('knows which tags need LOCALSTACK_AUTH_TOKEN', () => {
    expect(localStackNeedsToken('localstack/localstack:4.14.0')).toBe(false);
    expect(localStackNeedsToken('localstack/localstack:4.4')).toBe(false);
    expect(localStackNeedsToken('localstack/localstack:4.15.0')).toBe(true);
    expect(localStackNeedsToken('localstack/localstack:2026.03.0')).toBe(true);
    expect(localStackNeedsToken('localstack/localstack:latest')).toBe(true);
    expect(localStackNeedsToken('localstack/localstack')).toBe(true);
  });

  it('refuses a newer tag without a token, with a message that says what to do, and passes the token through', () => {
    expect(localStackImage({})).toEqual({ image: LOCALSTACK_COMMUNITY_IMAGE });
    expect(() => localStackImage({ LOCALSTACK_IMAGE: 'localstack/localstack:2026.04.0' })).toThrow(
      /needs LOCALSTACK_AUTH_TOKEN.*unset LOCALSTACK_IMAGE to use localstack\/localstack:4\.14\.0/,
    );
    const spec = containerSpecs({ LOCALSTACK_IMAGE: 'localstack/localstack:latest', LOCALSTACK_AUTH_TOKEN: 'ls-123' });
    expect(spec[0]).toMatchObject({ image: 'localstack/localstack:latest', env: { LOCALSTACK_AUTH_TOKEN: 'ls-123' } });
  });
});

describe('Gremlin Server configuration (docker/gremlin-server)', () => {
  it('runs a TinkerGraph that accepts the kit string ids', async () => {
    const text = await readFile('docker/gremlin-server/tinkergraph-any-ids.properties', 'utf8');
    const properties = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => line.trim() && !line.startsWith('#'))
        .map((line) => {
          const at = line.indexOf('=');
          expect(at, line).toBeGreaterThan(0);
          return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
        }),
    );
    expect(properties).toMatchObject({
      'gremlin.graph': 'org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph',
      'gremlin.tinkergraph.vertexIdManager': 'ANY',
      'gremlin.tinkergraph.edgeIdManager': 'ANY',
    });
  });

  it('serves that graph with GraphBinary and GraphSON v3 on 8182', async () => {
    const config = parse(await readFile('docker/gremlin-server/octember-gremlin-server.yaml', 'utf8')) as {
      host: string;
      port: number;
      graphs: Record<string, string>;
      serializers: { className: string; config?: Record<string, unknown> }[];
      scriptEngines: Record<string, unknown>;
    };
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8182,
      graphs: { graph: 'conf/tinkergraph-any-ids.properties' },
    });
    const serializers = config.serializers.map((s) => s.className);
    expect(serializers).toContain('org.apache.tinkerpop.gremlin.util.ser.GraphBinaryMessageSerializerV1');
    expect(serializers).toContain('org.apache.tinkerpop.gremlin.util.ser.GraphSONMessageSerializerV3');
    expect(Object.keys(config.scriptEngines)).toContain('gremlin-groovy');
    // Mounted where the graphs entry looks for it.
    expect(compose.services.gremlin.volumes).toContain(
      './docker/gremlin-server/tinkergraph-any-ids.properties:/opt/gremlin-server/conf/tinkergraph-any-ids.properties:ro',
    );
  });
});

describe("the kit's emulators image", () => {
  it('installs with plain npm ci from the lock file, on a pinned Node', async () => {
    const dockerfile = await readFile('docker/emulators.Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^FROM node:\d+\.\d+\.\d+-[\w-]+$/m);
    const runs = dockerfile.split('\n').filter((line) => line.startsWith('RUN '));
    expect(runs).toEqual(['RUN npm ci --omit=dev --no-audit --no-fund']);
    expect(dockerfile).toContain('COPY package.json package-lock.json ./');
    const ignored = (await readFile('.dockerignore', 'utf8')).split('\n');
    expect(ignored).toContain('node_modules');
  });
});

describe('testcontainers setup (definitions only, nothing started)', () => {
  const definitions = containerDefinitions(containerSpecs({}));
  type Inspectable = {
    createOpts: { Image: string; Env?: string[]; Cmd?: string[] };
    hostConfig: { Binds?: string[] };
    filesToCopy: { source: string; target: string }[];
    networkAliases: string[];
  };
  const inspect = (name: string) => definitions[name] as unknown as Inspectable;

  it('uses the LocalStack, Redis and OpenSearch modules and generic containers for the rest', () => {
    expect(definitions.localstack).toBeInstanceOf(LocalstackContainer);
    expect(definitions.redis).toBeInstanceOf(RedisContainer);
    expect(definitions.opensearch).toBeInstanceOf(OpenSearchContainer);
    expect(Object.keys(definitions).sort()).toEqual([
      'gremlin',
      'localstack',
      'octember-emulators',
      'opensearch',
      'redis',
    ]);
  });

  it('configures each container as the compose file does', () => {
    const localstack = inspect('localstack');
    expect(localstack.createOpts.Image).toBe(LOCALSTACK_COMMUNITY_IMAGE);
    expect(localstack.createOpts.Env).toEqual(
      expect.arrayContaining(['KINESIS_LATENCY=0', 'SERVICES=s3,sqs,kinesis,firehose,lambda,iam,sts,logs']),
    );
    expect(localstack.hostConfig.Binds).toContain('/var/run/docker.sock:/var/run/docker.sock:rw');
    expect(localstack.networkAliases).toContain('localstack');

    const gremlin = inspect('gremlin');
    expect(gremlin.createOpts.Image).toBe('tinkerpop/gremlin-server:3.7.3');
    expect(gremlin.createOpts.Cmd).toEqual(['conf/octember-gremlin-server.yaml']);
    expect(gremlin.filesToCopy.map((f) => f.target).sort()).toEqual([
      '/opt/gremlin-server/conf/octember-gremlin-server.yaml',
      '/opt/gremlin-server/conf/tinkergraph-any-ids.properties',
    ]);
    for (const file of gremlin.filesToCopy) expect(file.source).toMatch(/\/docker\/gremlin-server\//);

    const emulators = inspect('octember-emulators');
    expect(emulators.createOpts.Image).toBe('octember/emulators:test');
    expect(emulators.createOpts.Cmd).toEqual([
      'emulate',
      '--services',
      'textract,cloudsearch',
      '--edge-port',
      '4566',
      '--host',
      '0.0.0.0',
    ]);
    expect(emulators.createOpts.Env).toContain('OCTEMBER_S3_ENDPOINT=http://localstack:4566');
    expect(inspect('redis').createOpts.Image).toBe('redis:7.4.2-alpine');
    expect(inspect('opensearch').createOpts.Image).toBe('opensearchproject/opensearch:2.19.0');
  });
});
