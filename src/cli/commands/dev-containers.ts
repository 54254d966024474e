import { resolve } from 'node:path';
import { DEFAULT_API_KEY } from '../../domain/names.js';
import { startContainersRuntime } from '../../targets/containers-runner.js';
import { waitForShutdown } from '../shutdown.js';
import type { DevOptions } from './dev.js';

/** `octember dev --target containers`: the runtime and the API against external services; no emulator of its own. */
export async function runContainersDev(opts: DevOptions): Promise<void> {
  const apiKey = process.env.OCTEMBER_API_KEY || DEFAULT_API_KEY;
  const dataDir = resolve(opts.dataDir);
  console.log('Octember dev (containers target): checking the services…');
  let runtime: Awaited<ReturnType<typeof startContainersRuntime>>;
  try {
    runtime = await startContainersRuntime({
      dataDir,
      apiKey,
      apiPort: opts.port,
      lambdaPort: opts.lambdaPort,
      log: (line) => console.log(`  provisioned ${line}`),
    });
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 69; // EX_UNAVAILABLE
    return;
  }
  const { endpoints } = runtime;
  const from = (key: string) => (endpoints.sources[key] ? `   (${endpoints.sources[key]})` : '');
  const kind = { localstack: 'LocalStack', octember: 'octember emulate', unknown: 'AWS endpoint' }[endpoints.awsKind];
  const lines = [
    `Octember dev is up (containers target) in ${Math.round(runtime.readyMs)} ms; checkpoints in ${dataDir}`,
    '',
    `  API          ${runtime.api.url}/v1   (x-api-key: ${apiKey})`,
    `  Lambda       ${runtime.lambdaApi.url}   (Invoke API for Firehose processors; AWS_ENDPOINT_URL_LAMBDA)`,
    '',
    '  connected to',
    `  ${kind.padEnd(12)} S3 ${endpoints.aws.s3}${from('s3')}, SQS ${endpoints.aws.sqs}, Kinesis ${endpoints.aws.kinesis}, Firehose ${endpoints.aws.firehose}${from('aws')}`,
    `  Textract     ${endpoints.aws.textract}${from('textract')}`,
    `  CloudSearch  ${endpoints.aws.cloudsearch}${from('cloudsearch')}`,
    `  OpenSearch   ${endpoints.opensearch}${from('opensearch')}`,
    `  Gremlin      ${endpoints.gremlin}${from('gremlin')}`,
    `  Redis        ${endpoints.redis}${from('redis')}`,
    `  S3 events    ${runtime.provisioned.queueUrl}   (long-polled; dead letters: ${runtime.provisioned.deadLetterQueueUrl})`,
    ...(runtime.localStackFunctions.length > 0
      ? [`  LocalStack Lambda: created ${runtime.localStackFunctions.join(', ')} (Firehose processor)`]
      : []),
    '',
    'Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  await waitForShutdown(() => runtime.close());
}
