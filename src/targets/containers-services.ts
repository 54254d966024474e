// The containers of the containers target, described once: docker-compose.yml declares the same images, ports and
// settings (a test checks that they agree), and `npm run test:containers` starts them with testcontainers.
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The last LocalStack tag that starts without an auth token (2026-02-26; from 2026.03 on, every tag needs one). */
export const LOCALSTACK_COMMUNITY_IMAGE = 'localstack/localstack:4.14.0';
export const REDIS_IMAGE = 'redis:7.4.2-alpine';
export const OPENSEARCH_IMAGE = 'opensearchproject/opensearch:2.19.0';
/** Neptune engines speak TinkerPop 3.7; the kit pins the gremlin client at 3.7.3. */
export const GREMLIN_SERVER_IMAGE = 'tinkerpop/gremlin-server:3.7.3';
export const KIT_EMULATORS_DOCKERFILE = 'docker/emulators.Dockerfile';

/** What the pipelines use in LocalStack (Lambda: the Firehose processor runs there). */
export const LOCALSTACK_SERVICES = ['s3', 'sqs', 'kinesis', 'firehose', 'lambda', 'iam', 'sts', 'logs'];

export interface ContainerSpec {
  name: string;
  image?: string;
  /** Built from this Dockerfile (relative to the project root) instead of pulled. */
  dockerfile?: string;
  command?: string[];
  env: Record<string, string>;
  /** container port → the host port compose publishes it on */
  ports: Record<number, number>;
  /** host file (relative to the project root) → path in the container */
  files?: Record<string, string>;
  /** Docker socket mounted (LocalStack runs Lambdas in sibling containers). */
  dockerSocket?: boolean;
  healthcheck: string[];
}

/** Whether a LocalStack image needs LOCALSTACK_AUTH_TOKEN: every tag after 4.14.0 (2026.03.0, latest...). */
export function localStackNeedsToken(image: string): boolean {
  const tag = image.split(':')[1] ?? 'latest';
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (!match) return true;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 4 || (major === 4 && minor > 14);
}

/** The LocalStack image to run (LOCALSTACK_IMAGE overrides); a newer tag without LOCALSTACK_AUTH_TOKEN is refused. */
export function localStackImage(env: NodeJS.ProcessEnv = process.env): { image: string; token?: string } {
  const image = env.LOCALSTACK_IMAGE || LOCALSTACK_COMMUNITY_IMAGE;
  const token = env.LOCALSTACK_AUTH_TOKEN || undefined;
  if (localStackNeedsToken(image) && !token) {
    throw new Error(
      `${image} needs LOCALSTACK_AUTH_TOKEN: LocalStack tags after 4.14.0 (2026.03 and later, and latest) only start with an auth token. ` +
        `Set LOCALSTACK_AUTH_TOKEN (a free LocalStack account has one), or unset LOCALSTACK_IMAGE to use ${LOCALSTACK_COMMUNITY_IMAGE}.`,
    );
  }
  return { image, ...(token ? { token } : {}) };
}

export function containerSpecs(env: NodeJS.ProcessEnv = process.env): ContainerSpec[] {
  const localstack = localStackImage(env);
  return [
    {
      name: 'localstack',
      image: localstack.image,
      env: {
        SERVICES: LOCALSTACK_SERVICES.join(','),
        // kinesis-mock otherwise adds 500 ms to every call.
        KINESIS_LATENCY: '0',
        PERSISTENCE: '0',
        ...(localstack.token ? { LOCALSTACK_AUTH_TOKEN: localstack.token } : {}),
      },
      ports: { 4566: 4566 },
      dockerSocket: true,
      healthcheck: ['CMD', 'curl', '-fsS', 'http://localhost:4566/_localstack/health'],
    },
    {
      name: 'octember-emulators',
      dockerfile: KIT_EMULATORS_DOCKERFILE,
      command: ['emulate', '--services', 'textract,cloudsearch', '--edge-port', '4566', '--host', '0.0.0.0'],
      env: { OCTEMBER_S3_ENDPOINT: 'http://localstack:4566' },
      ports: { 4566: 4577 },
      healthcheck: [
        'CMD',
        'node',
        '-e',
        "fetch('http://127.0.0.1:4566/_octember/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
      ],
    },
    {
      name: 'gremlin',
      image: GREMLIN_SERVER_IMAGE,
      command: ['conf/octember-gremlin-server.yaml'],
      env: {},
      ports: { 8182: 8182 },
      files: {
        'docker/gremlin-server/octember-gremlin-server.yaml': '/opt/gremlin-server/conf/octember-gremlin-server.yaml',
        'docker/gremlin-server/tinkergraph-any-ids.properties':
          '/opt/gremlin-server/conf/tinkergraph-any-ids.properties',
      },
      healthcheck: ['CMD-SHELL', 'nc -z localhost 8182'],
    },
    {
      name: 'redis',
      image: REDIS_IMAGE,
      env: {},
      ports: { 6379: 6379 },
      healthcheck: ['CMD', 'redis-cli', 'ping'],
    },
    {
      name: 'opensearch',
      image: OPENSEARCH_IMAGE,
      env: {
        'discovery.type': 'single-node',
        DISABLE_SECURITY_PLUGIN: 'true',
        DISABLE_INSTALL_DEMO_CONFIG: 'true',
        OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m',
      },
      ports: { 9200: 9200 },
      healthcheck: ['CMD-SHELL', 'curl -fsS http://localhost:9200/_cluster/health || exit 1'],
    },
  ];
}

export const projectPath = (relative: string) => `${ROOT}${relative}`;
