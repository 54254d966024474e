// The containers target's services in Docker: with testcontainers (`npm run test:containers`: modules for
// LocalStack, Redis and OpenSearch, a generic container for Gremlin Server and the kit's emulators image), or with
// docker compose (docker-compose.yml). Only a machine with a Docker engine runs this.
import { LocalstackContainer } from '@testcontainers/localstack';
import { OpenSearchContainer } from '@testcontainers/opensearch';
import { RedisContainer } from '@testcontainers/redis';
import { DockerComposeEnvironment, GenericContainer, Network, type StartedNetwork, Wait } from 'testcontainers';
import type { ContainersServices } from './containers-backends.js';
import { COMPOSE_DEFAULTS } from './containers-endpoints.js';
import { type ContainerSpec, containerSpecs, projectPath } from './containers-services.js';

export const EMULATORS_TEST_IMAGE = 'octember/emulators:test';

/** One testcontainers definition per spec (not started); the kit's emulators run from `emulatorsImage`. */
export function containerDefinitions(
  specs: ContainerSpec[] = containerSpecs(),
  network?: StartedNetwork,
  emulatorsImage = EMULATORS_TEST_IMAGE,
): Record<string, GenericContainer> {
  const out: Record<string, GenericContainer> = {};
  for (const spec of specs) {
    const image = spec.image ?? emulatorsImage;
    let container: GenericContainer;
    if (spec.name === 'localstack') container = new LocalstackContainer(image);
    else if (spec.name === 'redis') container = new RedisContainer(image);
    else if (spec.name === 'opensearch') container = new OpenSearchContainer(image).withSecurityEnabled(false);
    else container = new GenericContainer(image).withExposedPorts(...Object.keys(spec.ports).map(Number));
    container = container.withEnvironment(spec.env).withNetworkAliases(spec.name);
    if (spec.command) container = container.withCommand(spec.command);
    if (spec.files) {
      container = container.withCopyFilesToContainer(
        Object.entries(spec.files).map(([source, target]) => ({ source: projectPath(source), target })),
      );
    }
    if (spec.dockerSocket) {
      container = container.withBindMounts([{ source: '/var/run/docker.sock', target: '/var/run/docker.sock' }]);
    }
    if (spec.name === 'gremlin')
      container = container.withWaitStrategy(Wait.forLogMessage(/Channel started at port 8182/));
    if (spec.name === 'octember-emulators') {
      container = container.withWaitStrategy(Wait.forHttp('/_octember/health', 4566).forStatusCode(200));
    }
    if (network) container = container.withNetwork(network);
    out[spec.name] = container;
  }
  return out;
}

export async function startDockerServices(over: 'testcontainers' | 'compose'): Promise<ContainersServices> {
  if (over === 'compose') {
    const environment = await new DockerComposeEnvironment(projectPath(''), 'docker-compose.yml')
      .withBuild()
      .withWaitStrategy('localstack-1', Wait.forHealthCheck())
      .withWaitStrategy('octember-emulators-1', Wait.forHealthCheck())
      .withWaitStrategy('gremlin-1', Wait.forHealthCheck())
      .withWaitStrategy('redis-1', Wait.forHealthCheck())
      .withWaitStrategy('opensearch-1', Wait.forHealthCheck())
      .up();
    return {
      env: {
        AWS_ENDPOINT_URL: COMPOSE_DEFAULTS.aws,
        OPENSEARCH_URL: COMPOSE_DEFAULTS.opensearch,
        GREMLIN_URL: COMPOSE_DEFAULTS.gremlin,
        REDIS_URL: COMPOSE_DEFAULTS.redis,
      },
      description: 'docker compose up (docker-compose.yml)',
      stop: async () => {
        await environment.down();
      },
    };
  }
  const network = await new Network().start();
  await GenericContainer.fromDockerfile(projectPath(''), 'docker/emulators.Dockerfile').build(EMULATORS_TEST_IMAGE, {
    deleteOnExit: false,
  });
  const definitions = containerDefinitions(containerSpecs(), network);
  const started = await Promise.all(
    Object.entries(definitions).map(async ([name, c]) => [name, await c.start()] as const),
  );
  const byName = Object.fromEntries(started);
  const url = (name: string, port: number, scheme = 'http') =>
    `${scheme}://${byName[name].getHost()}:${byName[name].getMappedPort(port)}`;
  return {
    env: {
      AWS_ENDPOINT_URL: url('localstack', 4566),
      AWS_ENDPOINT_URL_TEXTRACT: url('octember-emulators', 4566),
      AWS_ENDPOINT_URL_CLOUDSEARCH: url('octember-emulators', 4566),
      OPENSEARCH_URL: url('opensearch', 9200),
      GREMLIN_URL: `${url('gremlin', 8182, 'ws')}/gremlin`,
      REDIS_URL: url('redis', 6379, 'redis'),
    },
    description: `testcontainers: ${started.map(([name]) => name).join(', ')}`,
    stop: async () => {
      await Promise.all(started.map(([, c]) => c.stop()));
      await network.stop();
    },
  };
}
