// A warm "container" for the function: run by FunctionContainer with `node --import tsx`.
// Invocations arrive over the IPC channel; stdout is the function's log stream, so nothing but
// the function's own output and Lambda-style platform lines (START/END/REPORT) is written there.
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../common/lambda-context';
import { writeStdoutLine } from '../common/sync-stdout';
import { serializeError, type InvokeMessage, type WorkerMessage } from './invoke-protocol';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

// Platform lines go through the function's own synchronous writer, so they land in order around
// its lines and survive a slow reader.
const send = (message: WorkerMessage) => process.send?.(message);

function loadHandler(modulePath: string, exportName: string): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(modulePath) as Record<string, unknown>;
  const handler = loaded[exportName];
  if (typeof handler !== 'function') throw new Error(`${modulePath} does not export a function "${exportName}"`);
  return handler as Handler;
}

async function invoke(handler: Handler, message: InvokeMessage, initDurationMs: number | undefined): Promise<void> {
  const requestId = message.context.awsRequestId;
  writeStdoutLine(`START RequestId: ${requestId} Version: ${message.context.functionVersion}`);
  const started = performance.now();
  let reply: WorkerMessage;
  try {
    const result = await handler(message.event, lambdaContext(message.context));
    reply = { type: 'result', id: message.id, ok: true, result };
  } catch (error) {
    const serialized = serializeError(error);
    // Lambda's Node runtime logs an uncaught handler error as an ERROR line.
    writeStdoutLine(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(serialized)}`);
    reply = { type: 'result', id: message.id, ok: false, error: serialized };
  }
  const durationMs = performance.now() - started;
  writeStdoutLine(`END RequestId: ${requestId}`);
  const memoryMb = Math.round(process.memoryUsage.rss() / (1024 * 1024));
  const init = initDurationMs === undefined ? '' : `\tInit Duration: ${initDurationMs.toFixed(2)} ms`;
  writeStdoutLine(
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\t` +
      `Memory Size: ${message.context.memoryLimitInMB} MB\tMax Memory Used: ${memoryMb} MB${init}`,
  );
  // The reply goes after the platform lines: by then every line of this invocation is written.
  send(reply);
}

function main(): void {
  const [modulePath, exportName = 'handler'] = process.argv.slice(2);
  const initStarted = performance.now();
  let handler: Handler;
  try {
    handler = loadHandler(modulePath, exportName);
  } catch (error) {
    send({ type: 'init_error', error: serializeError(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  let initDurationMs: number | undefined = performance.now() - initStarted;
  send({ type: 'ready', initDurationMs });
  process.on('message', (message: InvokeMessage) => {
    if (message?.type !== 'invoke') return;
    const init = initDurationMs;
    initDurationMs = undefined; // only the first invocation of a container reports its init
    void invoke(handler, message, init);
  });
  // The host going away ends the container.
  process.on('disconnect', () => process.exit(0));
}

main();
