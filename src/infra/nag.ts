import { type Stack, Validations } from 'aws-cdk-lib';

const FUNCTION_PREFIX_REASON =
  "scoped to one key prefix of the pipelines' bucket, the one the topology grants the function (object ARNs need the trailing wildcard)";

/**
 * Every AwsSolutions finding the stack accepts, each with its reason. Anything not listed fails `npm run synth` and
 * the CDK tests. Finding ids name the exact resource pattern where the rule reports one per pattern (IAM5).
 */
export const NAG_ACKNOWLEDGEMENTS: readonly { id: string; reason: string }[] = [
  // Cost: the kit deploys the smallest footprint (one node per data service); production sizing is the user's call.
  {
    id: 'AwsSolutions-OS4',
    reason: 'One data node at the smallest size: dedicated masters triple the cost of a dev deployment.',
  },
  {
    id: 'AwsSolutions-OS7',
    reason: 'One data node in one AZ (smallest size); zone awareness needs two or more nodes.',
  },
  {
    id: 'AwsSolutions-AEC4',
    reason: 'One cache.t4g.micro node: the cache is rebuilt on a miss, so Multi-AZ is not worth doubling its cost.',
  },
  {
    id: 'AwsSolutions-APIG3',
    reason:
      'WAF web ACLs cost per ACL and rule; the API is behind API keys with a throttled, quota-limited usage plan.',
  },
  {
    id: 'AwsSolutions-OS9[LogExport::SEARCH_SLOW_LOGS]',
    reason:
      'Slow logs need a CloudWatch resource policy set by a custom-resource Lambda; the functions log their own search latency.',
  },
  {
    id: 'AwsSolutions-OS9[LogExport::INDEX_SLOW_LOGS]',
    reason:
      'Slow logs need a CloudWatch resource policy set by a custom-resource Lambda; upsert-to-search logs refused documents.',
  },
  // Access model.
  {
    id: 'AwsSolutions-OS3',
    reason:
      "The domain lives in private subnets, reachable only from the functions' security group; every request is SigV4-signed by a function role.",
  },
  {
    id: 'AwsSolutions-OS5',
    reason:
      'No access policy grants anonymous access: requests must be SigV4-signed by a role whose identity policy allows es:ESHttp* on this domain.',
  },
  {
    id: 'AwsSolutions-AEC6',
    reason:
      "Redis is reachable only from the functions' security group, with TLS in transit and encryption at rest; an AUTH token would need a secret rotation path.",
  },
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'The API is key-protected (x-api-key on every method, as the local API), with a usage plan throttle and quota; no user pools in this kit.',
  },
  {
    id: 'AwsSolutions-COG4',
    reason: 'API keys, not Cognito, protect the API (same contract as the local API Gateway).',
  },
  {
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the on-failure destination of the stream mappings; a DLQ of the DLQ adds nothing.',
  },
  {
    id: 'AwsSolutions-KDF1',
    reason:
      'A delivery stream with a Kinesis stream source cannot enable its own SSE: the source stream is KMS-encrypted and S3 encrypts at rest.',
  },
  {
    id: 'AwsSolutions-L1',
    reason:
      'The kit deploys nodejs22.x on purpose (the runtime its bundles target and test against); newer runtimes are a one-line change in src/infra/bundling.ts.',
  },
  // IAM: managed policies only on CDK-provided helper roles.
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "CDK's own BucketNotificationsHandler (applies the bucket notification configuration at deploy time) only writes its logs.",
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason: "API Gateway's account-level CloudWatch role, required for the stage's access and execution logs.",
  },
  // IAM: wildcard resources that are as narrow as the service allows.
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only actions without resource-level permissions: Lambda VPC ENI management (ec2:*NetworkInterface*, DescribeSubnets) and textract:DetectDocumentText.',
  },
  { id: 'AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/bizcard-raw-img/*]', reason: FUNCTION_PREFIX_REASON },
  { id: 'AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/bizcard-by-user/*]', reason: FUNCTION_PREFIX_REASON },
  { id: 'AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/items/*]', reason: FUNCTION_PREFIX_REASON },
  { id: 'AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/items-manifests/*]', reason: FUNCTION_PREFIX_REASON },
  { id: 'AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/items-errors/*]', reason: FUNCTION_PREFIX_REASON },
  {
    id: 'AwsSolutions-IAM5[Resource::<Search14E54FC3.Arn>/*]',
    reason: 'Index paths of the one OpenSearch domain (es:ESHttp* are authorised per path under the domain ARN).',
  },
  {
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:neptune-db:<AWS::Region>:<AWS::AccountId>:<Graph.ClusterResourceId>/*]',
    reason:
      'Neptune data-plane actions are authorised on the cluster resource id with a trailing wildcard (the only form Neptune IAM auth accepts).',
  },
  // Firehose's S3 destination role, as the CDK L2 grants it (scoped to the pipelines' bucket).
  ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
    id: `AwsSolutions-IAM5[Action::${action}]`,
    reason:
      "Firehose's S3 destination role as the CDK grants it (bucket.grantReadWrite): on the pipelines' bucket only, needed for multipart delivery.",
  })),
  {
    id: 'AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/*]',
    reason:
      "Firehose writes under its prefixes and its error prefixes (expressions evaluated at delivery), so it gets the bucket's objects.",
  },
  {
    id: 'AwsSolutions-IAM5[Resource::<FunctionkpldeaggregateA4895339.Arn>:*]',
    reason: 'Firehose invokes the kpl-deaggregate transform by any version/alias of that one function.',
  },
  {
    id: 'CloudFormation-Validate::W7001',
    reason:
      "The Firehose CIDR mapping is emitted by CDK's delivery stream construct for Redshift/Splunk destinations; S3 does not use it.",
  },
];

export function applyNagSuppressions(stack: Stack): void {
  for (const acknowledgement of NAG_ACKNOWLEDGEMENTS) Validations.of(stack).acknowledge(acknowledgement);
}
