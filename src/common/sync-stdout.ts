import { closeSync, constants, fstatSync, openSync } from 'node:fs';
// pino's synchronous destination is sonic-boom; used directly, the function's bundle carries
// the writer without pino's logger (~30 KB minified: the function entry's size budget).
import SonicBoom from 'sonic-boom';

type Destination = SonicBoom;

// The one synchronous stdout writer of the project (span lines, the forwarder's summary, the
// local containers' platform lines): one process-wide destination, created on first use.
// Lambda freezes the process when the handler returns, so a write still queued in
// process.stdout would be lost; a raw fs.writeSync(1) throws EAGAIN once a slow reader fills the
// non-blocking pipe (measured: 160 of 200,000 lines written), while sonic-boom in sync mode
// waits and retries (200,000 of 200,000).
let destination: Destination | undefined;

/** Writes one line (no trailing newline) to stdout before returning. Throws only when stdout is gone (EPIPE). */
export function writeStdoutLine(line: string): void {
  (destination ??= openDestination()).write(line + '\n');
}

/** The descriptor the writer uses (opened on the first write): not 1 when stdout is a pipe. */
export function stdoutWriterFd(): number | undefined {
  return (destination as { fd?: number } | undefined)?.fd; // set by sonic-boom, not in its typings
}

function openDestination(): Destination {
  const opened = new SonicBoom({ fd: blockingStdoutFd() ?? 1, sync: true });
  // A write error (EPIPE: the reader is gone) surfaces as a throw from write(), which the tracer
  // swallows; this listener keeps any error sonic-boom emits later from crashing the process.
  opened.on('error', () => undefined);
  return opened;
}

/**
 * sonic-boom's retry after EAGAIN sleeps 100 ms (BUSY_WRITE_TIMEOUT): measured here, 200,000
 * lines piped into `cat` took 18.7 s, nearly all of it asleep, because libuv puts fd 1 of a
 * pipe in O_NONBLOCK mode. O_NONBLOCK belongs to the open file description, so when stdout is
 * a pipe we open a second description of the same pipe through /proc: blocking, the kernel
 * wakes the writer as soon as the reader drains, and no EAGAIN ever reaches sonic-boom. Not a
 * pipe (file, tty, socket), no /proc, or no reader left: fd 1 as is, sonic-boom retries.
 */
function blockingStdoutFd(): number | undefined {
  try {
    if (!fstatSync(1).isFIFO()) return undefined;
    const path = '/proc/self/fd/1';
    // Opening a pipe for writing blocks while it has no reader; probe non-blocking first (ENXIO).
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    return openSync(path, constants.O_WRONLY);
  } catch {
    return undefined;
  }
}
