/** Messages over the IPC channel between the worker host and a function worker process. */

/** What the worker needs to build the Lambda context object. */
export interface InvokeContextFields {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch ms when the invocation times out (getRemainingTimeInMillis counts down to it). */
  deadlineMs: number;
}

export interface InvokeMessage {
  type: 'invoke';
  id: number;
  event: unknown;
  context: InvokeContextFields;
}

export type WorkerMessage =
  | { type: 'ready'; initDurationMs: number }
  | { type: 'init_error'; error: SerializedError }
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError };

export interface SerializedError {
  errorType: string;
  errorMessage: string;
  stack?: string[];
}

/** Lambda's own shape for a function error. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, stack: error.stack?.split('\n') };
  }
  return { errorType: 'Error', errorMessage: String(error) };
}
