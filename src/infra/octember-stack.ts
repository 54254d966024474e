import { join } from 'node:path';
import {
  aws_apigateway as apigw,
  Duration,
  aws_ec2 as ec2,
  aws_elasticache as elasticache,
  aws_kinesisfirehose as firehose,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_lambda as lambda,
  aws_neptune as neptune,
  aws_lambda_nodejs as nodejs,
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
import {
  BUCKET,
  EVENTS_DELIVERY_STREAM,
  EVENTS_STREAM,
  IMAGE_STREAM,
  INTERACTIONS_PREFIX,
  ITEMS_ERRORS_PREFIX,
  ITEMS_MANIFEST_PREFIX,
  ITEMS_PREFIX,
  RAW_IMAGE_PREFIX,
  TEXT_BACKUP_PREFIX,
  TEXT_DELIVERY_STREAM,
  TEXT_STREAM,
} from '../domain/names.js';
import { FUNCTIONS, type FunctionSpec } from './functions.js';

export interface OctemberStackProps extends StackProps {
  handlersDir: string;
  /** Output of scripts/provision-cloudsearch.ts (CloudFormation has no CloudSearch resource). */
  cloudSearchEndpoint?: string;
  personalizeCampaignArn?: string;
  /** Bucket name; defaults to octember-bizcard-<account>-<region> because bucket names are global. */
  bucketName?: string;
}

/** The `aws` target: the same handlers as `embedded`, on real services. */
export class OctemberStack extends Stack {
  constructor(scope: Construct, id: string, props: OctemberStackProps) {
    super(scope, id, props);

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const lambdaSg = new ec2.SecurityGroup(this, 'LambdaSg', { vpc });
    const dataSg = new ec2.SecurityGroup(this, 'DataSg', { vpc });
    for (const port of [443, 6379, 8182]) dataSg.addIngressRule(lambdaSg, ec2.Port.tcp(port));
    const privateSubnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });

    const bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      removalPolicy: RemovalPolicy.RETAIN,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
    });
    const stream = (id: string, streamName: string) =>
      new kinesis.Stream(this, id, { streamName, streamMode: kinesis.StreamMode.ON_DEMAND });
    const imageStream = stream('ImageStream', IMAGE_STREAM);
    const textStream = stream('TextStream', TEXT_STREAM);
    const eventsStream = stream('EventsStream', EVENTS_STREAM);

    const search = new opensearch.Domain(this, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_19,
      vpc,
      vpcSubnets: [{ subnets: [privateSubnets.subnets[0]] }],
      securityGroups: [dataSg],
      capacity: { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
      ebs: { volumeSize: 10 },
      enforceHttps: true,
      nodeToNodeEncryption: true,
      encryptionAtRest: { enabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const neptuneSubnets = new neptune.CfnDBSubnetGroup(this, 'NeptuneSubnets', {
      dbSubnetGroupDescription: 'Octember graph',
      subnetIds: privateSubnets.subnetIds,
    });
    const graph = new neptune.CfnDBCluster(this, 'Graph', {
      engineVersion: '1.3.2.1',
      dbSubnetGroupName: neptuneSubnets.ref,
      vpcSecurityGroupIds: [dataSg.securityGroupId],
      iamAuthEnabled: false,
    });
    new neptune.CfnDBInstance(this, 'GraphInstance', {
      dbClusterIdentifier: graph.ref,
      dbInstanceClass: 'db.t4g.medium',
    });

    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'Octember cache',
      subnetIds: privateSubnets.subnetIds,
    });
    const cache = new elasticache.CfnCacheCluster(this, 'Cache', {
      engine: 'redis',
      cacheNodeType: 'cache.t4g.micro',
      numCacheNodes: 1,
      cacheSubnetGroupName: cacheSubnets.ref,
      vpcSecurityGroupIds: [dataSg.securityGroupId],
    });

    const environment: Record<string, string> = {
      OCTEMBER_TARGET: 'aws',
      OCTEMBER_BUCKET: bucket.bucketName,
      OPENSEARCH_URL: `https://${search.domainEndpoint}`,
      GREMLIN_URL: `wss://${graph.attrEndpoint}:${graph.attrPort}/gremlin`,
      REDIS_URL: `redis://${cache.attrRedisEndpointAddress}:${cache.attrRedisEndpointPort}`,
      ...(props.cloudSearchEndpoint ? { CLOUDSEARCH_ENDPOINT: props.cloudSearchEndpoint } : {}),
      ...(props.personalizeCampaignArn ? { PERSONALIZE_CAMPAIGN_ARN: props.personalizeCampaignArn } : {}),
    };

    const make = (spec: FunctionSpec) =>
      new nodejs.NodejsFunction(this, spec.name, {
        functionName: `octember-${spec.name}`,
        entry: join(props.handlersDir, spec.file),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_20_X,
        // A native module is installed for the bundling host (x86_64 Linux); the rest runs on Graviton.
        architecture: spec.nativeModules ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
        timeout: Duration.seconds(spec.timeoutSeconds),
        memorySize: spec.memoryMb,
        environment,
        bundling: {
          format: nodejs.OutputFormat.ESM,
          target: 'node20',
          mainFields: ['module', 'main'],
          ...(spec.nativeModules ? { nodeModules: spec.nativeModules } : {}),
        },
        ...(spec.vpc ? { vpc, vpcSubnets: privateSubnets, securityGroups: [lambdaSg] } : {}),
      });
    const f = Object.fromEntries(Object.entries(FUNCTIONS).map(([k, spec]) => [k, make(spec)])) as Record<
      keyof typeof FUNCTIONS,
      nodejs.NodejsFunction
    >;

    // Grants: least privilege per function.
    imageStream.grantWrite(f.triggerTextExtract);
    bucket.grantRead(f.getTextFromImage, `${RAW_IMAGE_PREFIX}*`);
    bucket.grantWrite(f.getTextFromImage);
    f.getTextFromImage.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['textract:DetectDocumentText'], resources: ['*'] }),
    );
    textStream.grantWrite(f.getTextFromImage);
    bucket.grantPut(f.putObjectApi);
    bucket.grantRead(f.csvToCloudSearch, `${ITEMS_PREFIX}*`);
    bucket.grantReadWrite(f.csvToCloudSearch, `${ITEMS_MANIFEST_PREFIX}*`);
    bucket.grantDelete(f.csvToCloudSearch, `${ITEMS_MANIFEST_PREFIX}*`);
    bucket.grantReadWrite(f.csvToCloudSearch, `${ITEMS_ERRORS_PREFIX}*`);
    bucket.grantDelete(f.csvToCloudSearch, `${ITEMS_ERRORS_PREFIX}*`);
    eventsStream.grantWrite(f.eventsApi);
    search.grantReadWrite(f.upsertToSearch);
    search.grantRead(f.searchApi);
    if (props.personalizeCampaignArn) {
      f.recommendationsApi.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['personalize:GetRecommendations'],
          resources: [props.personalizeCampaignArn],
        }),
      );
    }

    // Event sources, with AWS's failure handling: partial batch responses, bisect, on-failure queue.
    const failures = new sqs.Queue(this, 'StreamFailures', { retentionPeriod: Duration.days(14) });
    const fromStream = (target: lambda.IFunction, source: kinesis.IStream) =>
      (target as lambda.Function).addEventSource(
        new sources.KinesisEventSource(source, {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: 100,
          bisectBatchOnError: true,
          retryAttempts: 3,
          reportBatchItemFailures: true,
          onFailure: new sources.SqsDlq(failures),
        }),
      );
    fromStream(f.getTextFromImage, imageStream);
    fromStream(f.upsertToSearch, textStream);
    fromStream(f.upsertToGraph, textStream);
    fromStream(f.interactionsToGraph, eventsStream);

    for (const suffix of ['.jpg', '.jpeg', '.png']) {
      f.triggerTextExtract.addEventSource(
        new sources.S3EventSource(bucket, {
          events: [s3.EventType.OBJECT_CREATED],
          filters: [{ prefix: RAW_IMAGE_PREFIX, suffix }],
        }),
      );
    }
    f.csvToCloudSearch.addEventSource(
      new sources.S3EventSource(bucket, {
        events: [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED],
        filters: [{ prefix: ITEMS_PREFIX, suffix: '.csv' }],
      }),
    );

    // Firehose: the text stream backed up to S3, interaction events deaggregated and landed as training data.
    new firehose.DeliveryStream(this, 'TextToS3', {
      deliveryStreamName: TEXT_DELIVERY_STREAM,
      source: new firehose.KinesisStreamSource(textStream),
      destination: new firehose.S3Bucket(bucket, {
        dataOutputPrefix: `${TEXT_BACKUP_PREFIX}!{timestamp:yyyy/MM/dd/HH}/`,
        errorOutputPrefix: `${TEXT_BACKUP_PREFIX}errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`,
        bufferingInterval: Duration.seconds(60),
        bufferingSize: Size.mebibytes(5),
      }),
    });
    new firehose.DeliveryStream(this, 'EventsToS3', {
      deliveryStreamName: EVENTS_DELIVERY_STREAM,
      source: new firehose.KinesisStreamSource(eventsStream),
      destination: new firehose.S3Bucket(bucket, {
        dataOutputPrefix: `${INTERACTIONS_PREFIX}!{timestamp:yyyy/MM/dd/HH}/`,
        errorOutputPrefix: `${INTERACTIONS_PREFIX}errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`,
        processor: new firehose.LambdaFunctionProcessor(f.kplDeaggregate, {
          bufferInterval: Duration.seconds(60),
          bufferSize: Size.mebibytes(1),
        }),
        compression: firehose.Compression.GZIP,
      }),
    });

    // API Gateway: every route requires an API key.
    const api = new apigw.RestApi(this, 'Api', {
      restApiName: 'octember',
      deployOptions: { stageName: 'v1' },
      binaryMediaTypes: ['image/*', 'application/octet-stream', 'text/csv'],
      defaultMethodOptions: { apiKeyRequired: true },
    });
    const route = (path: string, method: string, target: lambda.IFunction) => {
      const resource = path
        .split('/')
        .filter(Boolean)
        .reduce<apigw.IResource>((r, part) => r.resourceForPath(part), api.root);
      resource.addMethod(method, new apigw.LambdaIntegration(target));
    };
    route('/{bucket}/{object}', 'PUT', f.putObjectApi);
    route('/status/{imageId}', 'GET', f.statusApi);
    route('/search', 'GET', f.searchApi);
    route('/pymk', 'GET', f.pymkApi);
    route('/items', 'GET', f.itemsApi);
    route('/events', 'POST', f.eventsApi);
    route('/recommendations', 'GET', f.recommendationsApi);
    const key = api.addApiKey('ApiKey');
    api.addUsagePlan('UsagePlan', { apiStages: [{ api, stage: api.deploymentStage }] }).addApiKey(key);
  }
}

export const DEFAULT_BUCKET = BUCKET;
