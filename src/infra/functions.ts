/** Every Lambda of the two pipelines, by handler file; the CDK stack and the local runtime share this table. */
export interface FunctionSpec {
  name: string;
  /** File under src/handlers/ exporting `handler`. */
  file: string;
  /** Needs the VPC (Neptune, ElastiCache, OpenSearch). */
  vpc: boolean;
  timeoutSeconds: number;
  memoryMb: number;
  /** Native packages installed next to the bundle instead of bundled (built for the bundling host's platform). */
  nativeModules?: string[];
}

const fn = (
  name: string,
  vpc: boolean,
  timeoutSeconds = 30,
  memoryMb = 512,
  nativeModules?: string[],
): FunctionSpec => ({
  name,
  file: `${name}.ts`,
  vpc,
  timeoutSeconds,
  memoryMb,
  ...(nativeModules ? { nativeModules } : {}),
});

export const FUNCTIONS = {
  triggerTextExtract: fn('trigger-text-extract', true),
  // The second OCR pass over doubtful fields crops the photo with @napi-rs/canvas.
  getTextFromImage: fn('get-text-from-image', true, 120, 1024, ['@napi-rs/canvas']),
  putObjectApi: fn('put-object-api', false),
  statusApi: fn('status-api', true),
  upsertToSearch: fn('upsert-to-search', true, 60),
  searchApi: fn('search-api', true),
  upsertToGraph: fn('upsert-to-graph', true, 60),
  pymkApi: fn('pymk-api', true),
  csvToCloudSearch: fn('csv-to-cloudsearch', false, 900, 1024),
  itemsApi: fn('items-api', false),
  kplDeaggregate: fn('kpl-deaggregate', false, 60),
  eventsApi: fn('events-api', false),
  interactionsToGraph: fn('interactions-to-graph', true, 60),
  recommendationsApi: fn('recommendations-api', true),
} as const satisfies Record<string, FunctionSpec>;

export const lambdaArn = (name: string, region = 'us-east-1', account = '000000000000'): string =>
  `arn:aws:lambda:${region}:${account}:function:${name}`;
