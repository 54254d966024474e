import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createKinesisEventStream } from '../../adapters/kinesis/event-stream.js';
import { serviceClientConfig } from '../service-client-config.js';
import type { CompositionContext, PortBuilder } from '../types.js';

export function kinesisClient(context: CompositionContext): KinesisClient {
  return context.shared(
    'kinesis',
    // HTTP/1.1: LocalStack's kinesis-mock does not speak HTTP/2.
    () => new KinesisClient({ ...serviceClientConfig(context.aws, 'kinesis'), requestHandler: new NodeHttpHandler() }),
    (c) => c.destroy(),
  );
}

export const streams: PortBuilder<'streams'> = (context) => createKinesisEventStream(kinesisClient(context));
