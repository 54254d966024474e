import { join } from 'node:path';
import {
  AssetHashType,
  aws_apigateway as apigw,
  CfnOutput,
  DockerImage,
  Duration,
  aws_ec2 as ec2,
  aws_elasticache as elasticache,
  aws_kinesisfirehose as firehose,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_neptune as neptune,
  aws_opensearchservice as opensearch,
  RemovalPolicy,
  Size,
  Stack,
  type StackProps,
  aws_s3 as s3,
  aws_lambda_event_sources as sources,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { needsVpc, TOPOLOGY } from '../topology/index.js';
import type { EnvironmentVariable, FunctionDef, PortName, Topology } from '../topology/types.js';
import { BUNDLE_FILE, bundleFunctionSync, LAMBDA_NODE, PROJECT_ROOT } from './bundling.js';

export interface OctemberStackProps extends StackProps {
  topology?: Topology;
  /**
   * The CloudSearch domain's endpoints (CloudFormation has no CloudSearch resource: `scripts/provision-cloudsearch.ts`
   * creates the domain and prints both, from DescribeDomains). Without them the catalogue functions fail at cold start
   * naming the missing variable.
   */
  cloudSearch?: { documentEndpoint?: string; searchEndpoint?: string };
  personalizeCampaignArn?: string;
  /** Bucket name; by default CloudFormation generates a unique one (bucket names are global). */
  bucketName?: string;
  /** Bundles one function into a directory; default the kit's esbuild bundling (`npm run bundle` uses the same). */
  bundle?: (fn: FunctionDef, outDir: string) => void;
}

/** Log retention of every log group the stack creates. */
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;
export const REDIS_PORT = 6380;

/** Lambda's runtime for the kit's functions. */
const RUNTIME = new lambda.Runtime(LAMBDA_NODE.runtime, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

/**
 * The `aws` target: everything the topology describes, on real services. Nothing here restates the wiring: functions,
 * routes, S3 triggers, stream mappings, delivery streams, names, environment and grants all come from the topology.
 */
export class OctemberStack extends Stack {
  readonly functions = new Map<string, lambda.Function>();
  readonly api: apigw.RestApi;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: OctemberStackProps = {}) {
    super(scope, id, props);
    const topology: Topology = props.topology ?? TOPOLOGY;
    const { resources } = topology;
    const bundle = props.bundle ?? ((fn, outDir) => void bundleFunctionSync(fn, outDir));
    const logGroup = (logicalId: string) =>
      new logs.LogGroup(this, logicalId, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });

    // Network: Lambda functions that use OpenSearch, Neptune or ElastiCache run in the private subnets.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      flowLogs: {
        all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup('VpcFlowLogs')) },
      },
    });
    const lambdaSg = new ec2.SecurityGroup(this, 'LambdaSg', { vpc, description: 'Octember functions in the VPC' });
    const dataSg = new ec2.SecurityGroup(this, 'DataSg', {
      vpc,
      description: 'OpenSearch, Neptune and ElastiCache',
      allowAllOutbound: false,
    });
    dataSg.addIngressRule(lambdaSg, ec2.Port.tcp(443), 'OpenSearch HTTPS');
    dataSg.addIngressRule(lambdaSg, ec2.Port.tcp(8182), 'Neptune Gremlin');
    dataSg.addIngressRule(lambdaSg, ec2.Port.tcp(REDIS_PORT), 'ElastiCache Redis (TLS)');
    const privateSubnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });

    // Storage and streams.
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      removalPolicy: RemovalPolicy.RETAIN,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'octember-bucket/',
    });
    const bucket = this.bucket;
    const streams = new Map(
      resources.streams.map((def) => [
        def.name,
        new kinesis.Stream(this, `Stream-${def.name}`, {
          streamName: def.name,
          streamMode: kinesis.StreamMode.ON_DEMAND,
          encryption: kinesis.StreamEncryption.MANAGED,
        }),
      ]),
    );
    const stream = (name: string) => {
      const found = streams.get(name);
      if (!found) throw new Error(`the topology uses stream ${name} but does not declare it in resources.streams`);
      return found;
    };
    const failureQueues = new Map(
      resources.failureDestinations.map((name) => [
        name,
        new sqs.Queue(this, `Failures-${name}`, {
          queueName: `octember-${name}`,
          retentionPeriod: Duration.days(14),
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
        }),
      ]),
    );

    // Data services (the smallest sizes: one node each).
    const search = new opensearch.Domain(this, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_19,
      vpc,
      vpcSubnets: [{ subnets: [privateSubnets.subnets[0]] }],
      securityGroups: [dataSg],
      capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
      ebs: { volumeSize: 10, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      nodeToNodeEncryption: true,
      encryptionAtRest: { enabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const neptuneSubnets = new neptune.CfnDBSubnetGroup(this, 'NeptuneSubnets', {
      dbSubnetGroupDescription: 'Octember graph',
      subnetIds: privateSubnets.subnetIds,
    });
    const graph = new neptune.CfnDBCluster(this, 'Graph', {
      dbSubnetGroupName: neptuneSubnets.ref,
      vpcSecurityGroupIds: [dataSg.securityGroupId],
      iamAuthEnabled: true,
      storageEncrypted: true,
      backupRetentionPeriod: 7,
    });
    new neptune.CfnDBInstance(this, 'GraphInstance', {
      dbClusterIdentifier: graph.ref,
      dbInstanceClass: 'db.t4g.medium',
      autoMinorVersionUpgrade: true,
    });
    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'Octember cache',
      subnetIds: privateSubnets.subnetIds,
    });
    const cache = new elasticache.CfnReplicationGroup(this, 'Cache', {
      replicationGroupDescription: 'Octember status and API cache',
      engine: 'redis',
      cacheNodeType: 'cache.t4g.micro',
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      port: REDIS_PORT,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: cacheSubnets.ref,
      securityGroupIds: [dataSg.securityGroupId],
    });
    const cloudSearchDomainArn = this.formatArn({
      service: 'cloudsearch',
      resource: 'domain',
      resourceName: resources.cloudSearchDomain.name,
    });
    const neptuneDataArn = this.formatArn({
      service: 'neptune-db',
      resource: `${graph.attrClusterResourceId}/*`,
    });

    /** The value of a topology variable in AWS; undefined leaves it unset (local-only settings). */
    const settingValue = (variable: EnvironmentVariable): string | undefined => {
      if (variable === resources.bucket.variable) return bucket.bucketName;
      const streamDef = resources.streams.find((s) => s.variable === variable);
      if (streamDef) return stream(streamDef.name).streamName;
      switch (variable) {
        case 'OPENSEARCH_URL':
          return `https://${search.domainEndpoint}`;
        case 'OPENSEARCH_INDEX':
          return resources.searchIndex.name;
        case 'GREMLIN_URL':
          return `wss://${graph.attrEndpoint}:${graph.attrPort}/gremlin`;
        case 'REDIS_URL':
          return `rediss://${cache.attrPrimaryEndPointAddress}:${cache.attrPrimaryEndPointPort}`;
        case 'CLOUDSEARCH_DOCUMENT_ENDPOINT':
          return props.cloudSearch?.documentEndpoint;
        case 'CLOUDSEARCH_SEARCH_ENDPOINT':
          return props.cloudSearch?.searchEndpoint;
        case 'CLOUDSEARCH_DOMAIN':
          return resources.cloudSearchDomain.name;
        case 'PERSONALIZE_CAMPAIGN_ARN':
          return props.personalizeCampaignArn;
        default:
          return undefined;
      }
    };

    // Functions: one role, one log group and one bundle each.
    for (const fn of topology.functions) {
      const functionLogs = logGroup(`Logs-${fn.name}`);
      const role = new iam.Role(this, `Role-${fn.name}`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `octember-${fn.name}: least privilege from the topology`,
      });
      const inVpc = needsVpc(fn);
      const environment: Record<string, string> = {};
      for (const variable of fn.environment) {
        const value = settingValue(variable);
        if (value !== undefined) environment[variable] = value;
      }
      const code = lambda.Code.fromAsset(join(PROJECT_ROOT, 'src'), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never pulled: local bundling (esbuild in this process) always succeeds or throws.
          image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
          // Part of the asset's cache key: without it every function would share the first one's bundle.
          environment: { OCTEMBER_FUNCTION: fn.name },
          local: {
            tryBundle(outputDir) {
              bundle(fn, outputDir);
              return true;
            },
          },
        },
      });
      const created = new lambda.Function(this, `Function-${fn.name}`, {
        functionName: `octember-${fn.name}`,
        description: fn.description,
        code,
        handler: `${BUNDLE_FILE.replace(/\.mjs$/, '')}.handler`,
        runtime: RUNTIME,
        // A native module is packaged for Linux x64; everything else runs on Graviton.
        architecture: fn.nativeModules?.length ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
        timeout: Duration.seconds(fn.timeoutSeconds),
        memorySize: fn.memoryMb,
        environment,
        role,
        logGroup: functionLogs,
        ...(inVpc ? { vpc, vpcSubnets: privateSubnets, securityGroups: [lambdaSg] } : {}),
      });
      this.functions.set(fn.name, created);

      // Least privilege: exactly what the topology says the function does.
      const allow = (actions: string[], resourcesOf: string[], conditions?: Record<string, unknown>) =>
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: resourcesOf, conditions }));
      allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [functionLogs.logGroupArn]);
      if (inVpc) {
        // Lambda's ENI management has no resource-level permissions (AWSLambdaVPCAccessExecutionRole, spelled out).
        allow(
          [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          ['*'],
        );
      }
      const grants = fn.grants ?? {};
      const objectArns = (prefixes: readonly string[]) => prefixes.map((p) => bucket.arnForObjects(`${p}*`));
      if (grants.readPrefixes?.length) {
        allow(['s3:GetObject'], objectArns(grants.readPrefixes));
        // Without ListBucket a missing key is 403, not 404: csv-to-cloudsearch probes for its manifests.
        allow(['s3:ListBucket'], [bucket.bucketArn], {
          StringLike: { 's3:prefix': grants.readPrefixes.map((p) => `${p}*`) },
        });
      }
      if (grants.writePrefixes?.length) allow(['s3:PutObject'], objectArns(grants.writePrefixes));
      if (grants.deletePrefixes?.length) allow(['s3:DeleteObject'], objectArns(grants.deletePrefixes));
      const written = resources.streams.filter((s) => fn.environment.includes(s.variable));
      if (written.length > 0) {
        allow(
          ['kinesis:PutRecord', 'kinesis:PutRecords'],
          written.map((s) => stream(s.name).streamArn),
        );
      }
      const uses = (port: PortName) => fn.ports.includes(port);
      const writes = (port: PortName) => grants.writes?.includes(port) ?? false;
      if (uses('ocr')) allow(['textract:DetectDocumentText'], ['*']); // Textract has no resource-level permissions
      if (uses('search')) {
        allow(
          writes('search')
            ? ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete']
            : ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
          [search.domainArn, `${search.domainArn}/*`],
        );
      }
      const graphPorts: PortName[] = [
        'graph',
        'interactions',
        ...(props.personalizeCampaignArn ? [] : ['recommender' as const]),
      ];
      if (graphPorts.some(uses)) {
        const writesGraph = graphPorts.some(writes);
        allow(
          [
            'neptune-db:connect',
            'neptune-db:ReadDataViaQuery',
            ...(writesGraph ? ['neptune-db:WriteDataViaQuery', 'neptune-db:DeleteDataViaQuery'] : []),
          ],
          [neptuneDataArn],
        );
      }
      if (fn.environment.includes('CLOUDSEARCH_DOCUMENT_ENDPOINT'))
        allow(['cloudsearch:document'], [cloudSearchDomainArn]);
      if (fn.environment.includes('CLOUDSEARCH_SEARCH_ENDPOINT')) allow(['cloudsearch:search'], [cloudSearchDomainArn]);
      if (fn.environment.includes('CLOUDSEARCH_DOMAIN')) {
        allow(['cloudsearch:DescribeIndexFields'], [cloudSearchDomainArn]);
      }
      if (props.personalizeCampaignArn && fn.environment.includes('PERSONALIZE_CAMPAIGN_ARN')) {
        allow(['personalize:GetRecommendations'], [props.personalizeCampaignArn]);
      }
    }
    const fn = (name: string) => {
      const found = this.functions.get(name);
      if (!found) throw new Error(`the topology wires function ${name} but does not declare it`);
      return found;
    };

    // S3 → functions: one notification per trigger and suffix (suffix matching is case-sensitive).
    for (const trigger of topology.s3Triggers) {
      for (const suffix of trigger.suffixes) {
        fn(trigger.function).addEventSource(
          new sources.S3EventSource(bucket, {
            events: trigger.events.map((e) =>
              e === 's3:ObjectCreated:*' ? s3.EventType.OBJECT_CREATED : s3.EventType.OBJECT_REMOVED,
            ),
            filters: [{ prefix: trigger.prefix, suffix }],
          }),
        );
      }
    }

    // Streams → functions, with AWS's failure handling.
    for (const mapping of topology.streamMappings) {
      const queue = failureQueues.get(mapping.onFailure);
      if (!queue) throw new Error(`failure destination ${mapping.onFailure} is not in resources.failureDestinations`);
      fn(mapping.function).addEventSource(
        new sources.KinesisEventSource(stream(mapping.stream), {
          startingPosition: lambda.StartingPosition[mapping.startingPosition],
          batchSize: mapping.batchSize,
          maxBatchingWindow: Duration.seconds(mapping.maximumBatchingWindowSeconds),
          parallelizationFactor: mapping.parallelizationFactor,
          bisectBatchOnError: mapping.bisectBatchOnFunctionError,
          reportBatchItemFailures: mapping.reportBatchItemFailures,
          retryAttempts: mapping.maximumRetryAttempts,
          onFailure: new sources.SqsDlq(queue),
        }),
      );
    }

    // Firehose delivery streams.
    for (const d of topology.deliveryStreams) {
      new firehose.DeliveryStream(this, `Delivery-${d.name}`, {
        deliveryStreamName: d.name,
        source: new firehose.KinesisStreamSource(stream(d.source)),
        destination: new firehose.S3Bucket(bucket, {
          dataOutputPrefix: d.prefix,
          errorOutputPrefix: d.errorOutputPrefix,
          bufferingInterval: Duration.seconds(d.buffering.intervalSeconds),
          bufferingSize: Size.mebibytes(d.buffering.sizeMiB),
          compression: d.compression === 'GZIP' ? firehose.Compression.GZIP : undefined,
          ...(d.transform
            ? {
                processors: [
                  new firehose.LambdaFunctionProcessor(fn(d.transform.function), {
                    bufferInterval: Duration.seconds(d.transform.bufferIntervalSeconds),
                    bufferSize: Size.mebibytes(d.transform.bufferSizeMiB),
                  }),
                ],
              }
            : {}),
          loggingConfig: new firehose.EnableLogging(logGroup(`Logs-firehose-${d.name}`)),
        }),
      });
    }

    // The API: the topology's routes, an API key on every method, the usage plan's throttle and quota.
    const api = new apigw.RestApi(this, 'Api', {
      restApiName: 'octember',
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: topology.api.stage,
        accessLogDestination: new apigw.LogGroupLogDestination(logGroup('ApiAccessLogs')),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        metricsEnabled: true,
      },
      binaryMediaTypes: [...topology.api.binaryMediaTypes],
      defaultMethodOptions: { apiKeyRequired: true },
    });
    this.api = api;
    const validator = api.addRequestValidator('Requests', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    for (const route of topology.api.routes) {
      const parts = route.path.split('/').filter(Boolean);
      const resource = parts.reduce<apigw.IResource>((r, part) => r.getResource(part) ?? r.addResource(part), api.root);
      const pathParameters = Object.fromEntries(
        parts.filter((p) => p.startsWith('{')).map((p) => [`method.request.path.${p.replace(/[{}+]/g, '')}`, true]),
      );
      resource.addMethod(route.method, new apigw.LambdaIntegration(fn(route.function)), {
        apiKeyRequired: true,
        requestValidator: validator,
        requestParameters: pathParameters,
      });
    }
    const key = api.addApiKey('ApiKey', { description: 'x-api-key for the Octember API' });
    const { throttle, quota } = topology.api.usagePlan;
    api
      .addUsagePlan('UsagePlan', {
        name: 'octember',
        throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
        quota: { limit: quota.limit, period: apigw.Period[quota.period] },
        apiStages: [{ api, stage: api.deploymentStage }],
      })
      .addApiKey(key);

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'the API base URL (stage included)' });
    new CfnOutput(this, 'ApiKeyId', {
      value: key.keyId,
      description: 'aws apigateway get-api-key --api-key ID --include-value',
    });
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
  }
}
