import type { Context } from 'aws-lambda';

export interface LambdaContextFields {
  functionName: string;
  functionVersion: string;
  awsRequestId: string;
  /** Epoch ms when the invocation times out: getRemainingTimeInMillis counts down to it. */
  deadlineMs: number;
  memoryLimitInMB?: string;
  logStreamName?: string;
  invokedFunctionArn?: string;
}

/** A Lambda invocation context as the Node.js runtime builds it, for running handlers outside Lambda. */
export function lambdaContext(fields: LambdaContextFields): Context {
  const noop = (): undefined => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fields.functionName,
    functionVersion: fields.functionVersion,
    invokedFunctionArn: fields.invokedFunctionArn ?? `arn:aws:lambda:us-east-1:000000000000:function:${fields.functionName}`,
    memoryLimitInMB: fields.memoryLimitInMB ?? '128',
    awsRequestId: fields.awsRequestId,
    logGroupName: `/aws/lambda/${fields.functionName}`,
    logStreamName: fields.logStreamName ?? 'local',
    getRemainingTimeInMillis: () => Math.max(0, fields.deadlineMs - Date.now()),
    done: noop,
    fail: noop,
    succeed: noop,
  };
}
