import type { Cache } from '../ports/cache.js';
import type { CardSearchIndex } from '../ports/card-search.js';
import type { CatalogueIndex } from '../ports/catalogue.js';
import type { EventStream } from '../ports/event-stream.js';
import type { GraphStore } from '../ports/graph-store.js';
import type { ImageCropper } from '../ports/image-cropper.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { Ocr } from '../ports/ocr.js';
import type { InteractionGraph, Recommender } from '../ports/recommender.js';
import type { StatusStore } from '../ports/status-store.js';
import type { EnvironmentVariable, PortName } from '../topology/types.js';

/** The port each topology port name stands for. */
export interface Ports {
  objects: ObjectStore;
  streams: EventStream;
  ocr: Ocr;
  images: ImageCropper;
  status: StatusStore;
  cache: Cache;
  search: CardSearchIndex;
  graph: GraphStore;
  catalogue: CatalogueIndex;
  interactions: InteractionGraph;
  recommender: Recommender;
}

// Every port name of the topology has a port type, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _portsMatchTopology: Exact<keyof Ports, PortName> = true;
void _portsMatchTopology;

/** AWS services a target may serve at endpoints of their own (the SDK's `AWS_ENDPOINT_URL_<SERVICE>`). */
export type AwsService = 's3' | 'sqs' | 'kinesis' | 'firehose' | 'lambda' | 'textract' | 'cloudsearch' | 'personalize';

/** What every AWS SDK client of one function shares. */
export interface AwsClientSettings {
  region?: string;
  /** Undefined in Lambda: the SDK resolves AWS_ENDPOINT_URL(_<SERVICE>) and credentials itself. */
  endpoint?: string;
  /** Services answering elsewhere than `endpoint` (the containers target: `AWS_ENDPOINT_URL_S3`, ...). */
  serviceEndpoints?: Partial<Record<AwsService, string>>;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style S3 addressing: needed whenever S3 is not AWS's own endpoint (emulators, LocalStack). */
  forcePathStyle: boolean;
}

/** What a port builder gets: the function's settings and a per-process place for shared connections. */
export interface CompositionContext {
  /** The function being composed (`*` for the shared in-process adapter set); named in every error. */
  readonly functionName: string;
  readonly aws: AwsClientSettings;
  setting(name: EnvironmentVariable): string | undefined;
  /** The setting, or a MissingSettingError naming it. */
  required(name: EnvironmentVariable): string;
  /** One instance per key for the context's lifetime (e.g. one Redis connection for status and cache). */
  shared<T>(key: string, make: () => T, close?: (value: T) => unknown): T;
  close(): Promise<void>;
}

/** Builds one port; builders never connect: a connection is opened on the port's first use. */
export type PortBuilder<K extends keyof Ports> = (context: CompositionContext) => Ports[K];
