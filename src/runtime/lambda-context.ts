import type { Context } from 'aws-lambda';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';

export function functionArn(functionName: string, region = LOCAL_REGION): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`;
}

/** A Lambda Context as AWS builds it for one invocation; the deadline drives getRemainingTimeInMillis. */
export function createLambdaContext(options: {
  functionName: string;
  awsRequestId: string;
  timeoutMs: number;
  memoryLimitMb?: number;
  startedAt?: number;
}): Context {
  const deadline = (options.startedAt ?? Date.now()) + options.timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const unsupported = () => {
    throw new Error('callback-style completion (context.done/succeed/fail) is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(options.functionName),
    memoryLimitInMB: String(options.memoryLimitMb ?? 1024),
    awsRequestId: options.awsRequestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${day}/[$LATEST]${options.awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
