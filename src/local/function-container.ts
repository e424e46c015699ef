import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CloudWatchLogsLogEvent } from 'aws-lambda';
import type { InvokeContextFields, InvokeMessage, SerializedError, WorkerMessage } from './invoke-protocol';
import { LineSplitter, toLogEvent } from './log-lines';

export interface FunctionDefinition {
  /** Shown in the log group name /aws/lambda/<name>. */
  name: string;
  /** Absolute path of the module exporting the handler (TypeScript is fine). */
  handlerModule: string;
  handlerExport: string;
  timeoutMs: number;
  memoryMb: number;
  /** The function's environment (on top of the Lambda-like variables set here). */
  env: Record<string, string | undefined>;
}

export type InvokeOutcome =
  | { kind: 'result'; result: unknown }
  | { kind: 'error'; error: SerializedError }
  | { kind: 'timeout' }
  | { kind: 'crash'; detail: string };

const WORKER_SCRIPT = path.join(__dirname, 'function-worker.ts');
// Resolved here, not left to Node's resolution from the child's working directory.
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;

/**
 * One warm "container": a Node process running the real handler, invoked over IPC. Its stdout
 * is the function's log stream; every line becomes a CloudWatch log event for `onLogEvent`.
 */
export class FunctionContainer {
  readonly logStreamName: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly ready: Promise<void>;
  private nextId = 1;
  private inFlight: { id: number; resolve: (outcome: InvokeOutcome) => void; timer: NodeJS.Timeout } | undefined;
  private dead = false;

  constructor(
    private readonly fn: FunctionDefinition,
    private readonly onLogEvent: (logStream: string, event: CloudWatchLogsLogEvent) => void,
    private readonly onExit: (container: FunctionContainer) => void,
  ) {
    this.logStreamName = newLogStreamName();
    this.child = fork(WORKER_SCRIPT, [fn.handlerModule, fn.handlerExport], {
      execPath: process.execPath,
      execArgv: ['--import', TSX_LOADER],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: {
        ...fn.env,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(fn.name),
        AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName,
        AWS_REGION: fn.env.AWS_REGION ?? 'us-east-1',
      },
    });
    const lines = new LineSplitter((line) => onLogEvent(this.logStreamName, toLogEvent(line)));
    const stdoutEnded = new Promise<void>((resolve) => {
      this.child.stdout!.on('data', (chunk: Buffer) => lines.push(chunk));
      this.child.stdout!.on('end', () => {
        lines.end();
        resolve();
      });
    });
    const processExited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    // Exited means: the process is gone AND every line it wrote has been handed on.
    this.exited = Promise.all([processExited, stdoutEnded]).then(() => undefined);
    this.ready = new Promise<void>((resolve, reject) => {
      this.child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'init_error') reject(new Error(`function init failed: ${message.error.errorType}: ${message.error.errorMessage}`));
        else if (message.type === 'result') this.settle(message.id, message.ok ? { kind: 'result', result: message.result } : { kind: 'error', error: message.error });
      });
      void processExited.then((code) => {
        this.dead = true;
        reject(new Error(`function container exited during init (code ${code})`));
        if (this.inFlight) this.settle(this.inFlight.id, { kind: 'crash', detail: `container exited (code ${code})` });
        this.onExit(this);
      });
    });
    this.ready.catch(() => undefined); // observed by whoever awaits start()
  }

  /** Resolves once the handler module is loaded (the cold start is over). */
  start(): Promise<void> {
    return this.ready;
  }

  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** One invocation; a container runs one at a time, like Lambda's. Never rejects. */
  invoke(event: unknown, awsRequestId: string): Promise<InvokeOutcome> {
    if (this.inFlight) throw new Error('container is busy'); // the pool never does this
    const id = this.nextId++;
    const context: InvokeContextFields = {
      awsRequestId,
      functionName: this.fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${this.fn.name}`,
      memoryLimitInMB: String(this.fn.memoryMb),
      logGroupName: logGroupName(this.fn.name),
      logStreamName: this.logStreamName,
      deadlineMs: Date.now() + this.fn.timeoutMs,
    };
    return new Promise<InvokeOutcome>((resolve) => {
      if (this.dead) {
        resolve({ kind: 'crash', detail: 'container is gone' });
        return;
      }
      // Like Lambda: a timed-out invocation takes its container down with it.
      const timer = setTimeout(() => {
        const seconds = (this.fn.timeoutMs / 1000).toFixed(2);
        this.onLogEvent(this.logStreamName, toLogEvent(`${new Date().toISOString()} ${awsRequestId} Task timed out after ${seconds} seconds\n`));
        this.settle(id, { kind: 'timeout' });
        this.kill();
      }, this.fn.timeoutMs);
      this.inFlight = { id, resolve, timer };
      const message: InvokeMessage = { type: 'invoke', id, event, context };
      this.child.send(message, (err) => {
        if (err) this.settle(id, { kind: 'crash', detail: `could not send the event: ${err.message}` });
      });
    });
  }

  /** Stops the process; resolves when it is gone and its last lines were handed on. */
  stop(): Promise<void> {
    this.kill();
    return this.exited;
  }

  private kill(): void {
    if (this.dead) return;
    this.dead = true;
    // Disconnecting lets the worker exit on its own; SIGKILL covers a hung handler.
    if (this.child.connected) this.child.disconnect();
    const force = setTimeout(() => this.child.kill('SIGKILL'), 1000);
    force.unref();
    void this.exited.then(() => clearTimeout(force));
  }

  private settle(id: number, outcome: InvokeOutcome): void {
    const current = this.inFlight;
    if (!current || current.id !== id) return;
    clearTimeout(current.timer);
    this.inFlight = undefined;
    current.resolve(outcome);
  }
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Lambda's log stream naming: date/[version]container-id. */
function newLogStreamName(): string {
  const now = new Date();
  const date = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
  return `${date}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
