import { startContainersRuntime } from '../../targets/containers-runner.js';
import type { LocalStack } from '../../targets/local-runtime.js';
import type { DevOptions } from './dev.js';

/**
 * `octember dev --target containers`: the runtime and the API against external services; no emulator of its own.
 * Undefined (exit code 69) when a service does not answer: the message names each one.
 */
export async function startContainersDev(
  opts: DevOptions,
  common: { apiKey: string; dataDir: string; functions: LocalStack['functions'] },
): Promise<{ stack: LocalStack; lines: string[] } | undefined> {
  console.log('Octember dev (containers target): checking the services…');
  let stack: Awaited<ReturnType<typeof startContainersRuntime>>;
  try {
    stack = await startContainersRuntime({
      ...common,
      apiPort: opts.port,
      lambdaPort: opts.lambdaPort,
      log: (line) => console.log(`  provisioned ${line}`),
    });
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 69; // EX_UNAVAILABLE
    return undefined;
  }
  const { services } = stack;
  const from = (key: string) => (services.sources[key] ? `   (${services.sources[key]})` : '');
  const kind = { localstack: 'LocalStack', octember: 'octember emulate', unknown: 'AWS endpoint' }[services.awsKind];
  const { aws } = services;
  return {
    stack,
    lines: [
      `  Lambda       ${stack.lambdaApi.url}   (Invoke API for Firehose processors; AWS_ENDPOINT_URL_LAMBDA)`,
      '',
      '  connected to',
      `  ${kind.padEnd(12)} S3 ${aws.s3}${from('s3')}, SQS ${aws.sqs}, Kinesis ${aws.kinesis}, Firehose ${aws.firehose}${from('aws')}`,
      `  Textract     ${aws.textract}${from('textract')}`,
      `  CloudSearch  ${aws.cloudsearch}${from('cloudsearch')}`,
      `  OpenSearch   ${services.opensearch}${from('opensearch')}`,
      `  Gremlin      ${services.gremlin}${from('gremlin')}`,
      `  Redis        ${services.redis}${from('redis')}`,
      `  S3 events    ${stack.provisioned.queueUrl}   (long-polled; dead letters: ${stack.provisioned.deadLetterQueueUrl})`,
      ...(stack.localStackFunctions.length > 0
        ? [`  LocalStack Lambda: created ${stack.localStackFunctions.join(', ')} (Firehose processor)`]
        : []),
    ],
  };
}
