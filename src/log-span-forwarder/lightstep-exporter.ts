import type { FinishedSpan } from '../span-line';
import type { SpanView } from '../span-line/span-view';
// Each from its own file, not src/lightstep's index: the forwarder's bundle stays without
// lightstep-tracer and google-protobuf (the reporter and collector_pb are behind the indexes).
import { DEFAULT_MAX_SPAN_RECORDS } from '../lightstep/contract';
import { ReportClient } from '../lightstep/report-client';
import { ReportError } from '../lightstep/report-error';
import { reportSenderFor } from '../lightstep/reporter-identity';
import type { LightStepTarget } from '../lightstep/target';
import { EncodedSpans, type ReportLimits } from '../lightstep/wire/encoded-spans';
import { writeReportHeader } from '../lightstep/wire/report-writer';
import { InvalidIdError } from '../lightstep/wire/wire-span';
import { FlushError, type FlushOptions, type LineSink, type SpanExporter } from './exporter';

/**
 * The largest POST body by default. LightStep documents no size for /api/v2/reports; its
 * satellites take 4 MiB messages by default over gRPC (`max_msg_size_bytes`), so reports stay at
 * half that. The embedded collector takes 16 MiB (src/collector/reports.ts).
 */
export const DEFAULT_MAX_REPORT_BYTES = 2 * 1024 * 1024;

/**
 * How many components one exporter holds at once. Each is a reporter and, in a flush, at least
 * one POST: forged lines naming a new component each would otherwise grow both without bound.
 * A container that reads one function's log group sees one or a few; idle ones make room.
 */
export const DEFAULT_MAX_COMPONENTS = 64;

/** A span of one more component than the exporter holds, while all of them have spans waiting. */
export class ComponentLimitError extends Error {
  override readonly name = 'ComponentLimitError';
}

export interface LightStepExporterOptions {
  /** Spans per report at most; lightstep-tracer's own buffer size (4096) by default. */
  maxSpansPerReport?: number;
  /** Bytes per report at most (a span larger than that goes alone). */
  maxReportBytes?: number;
  /** Components (each a reporter of its own, and a report per flush) held at once; DEFAULT_MAX_COMPONENTS by default. */
  maxComponents?: number;
}

interface Component {
  name: string;
  /** reporter + auth, the same in front of every report of this component. */
  header: Buffer;
  /** Spans exported since the last flush() call, already written as report fields. */
  pending: EncodedSpans;
  /** Failed reports in a row (reset by a success). */
  failureStreak: number;
  /** When a span last came for it (the exporter's own count): the idlest makes room first. */
  lastUsed: number;
}

/** Where a component's pending spans stood before an export (or a line) first wrote to it. */
interface Mark {
  component: Component;
  count: number;
  created: boolean;
}

/** What one flush() call took over: the spans of each component exported before the call. */
type FlushBatch = Array<{ component: Component; spans: EncodedSpans }>;

/**
 * Re-emits spans to LightStep with the ids, timestamps and value types the function recorded,
 * as lightstep-tracer would report them: one reporter per component name (the component is per
 * reporter in LightStep, and each gets a tracer's reporter id and tags), created on first use
 * and kept for the container's life. Spans are written straight into report bytes at export
 * (src/lightstep/wire/report-writer.ts, byte for byte what collector_pb serializes), cut into
 * reports at flush and posted through the project's keep-alive transport.
 */
export class LightStepExporter implements SpanExporter {
  readonly name: string;
  private readonly byName = new Map<string, Component>();
  private readonly client: ReportClient;
  private readonly limits: ReportLimits;
  private readonly maxComponents: number;
  /** Counts componentFor calls: a component's lastUsed. */
  private uses = 0;
  /** The last flush in the chain (settled, never rejecting): the next one starts after it. */
  private flushChain: Promise<void> = Promise.resolve();
  /** Spans taken by flush() calls still waiting for their turn or in flight. */
  private queued = 0;
  /** The line sink's state: the components the current line wrote to, the last of them, a span it refused. */
  private readonly lineMarks: Mark[] = [];
  private lineComponent: Component | undefined;
  private lineRefusal: string | undefined;
  private readonly sink: LineSink = {
    beginLine: () => {
      this.lineMarks.length = 0;
      this.lineComponent = undefined;
      this.lineRefusal = undefined;
    },
    span: (view: SpanView) => {
      if (this.lineRefusal !== undefined) return;
      try {
        let component = this.lineComponent;
        if (component === undefined || component.name !== view.component) component = this.lineComponent = this.componentFor(view.component, this.lineMarks);
        component.pending.addView(view);
      } catch (error) {
        // An id the wire cannot carry (the span-line schema already refuses them), or one component
        // too many: the line goes, the batch stays.
        if (!(error instanceof InvalidIdError) && !(error instanceof ComponentLimitError)) throw error;
        this.lineRefusal = error.message;
      }
    },
    endLine: (completed: boolean) => {
      const refusal = completed ? this.lineRefusal : 'the line could not be read';
      if (refusal !== undefined) this.takeBack(this.lineMarks);
      return refusal;
    },
  };

  constructor(
    private readonly target: LightStepTarget,
    options: LightStepExporterOptions = {},
  ) {
    this.name = `LightStep ${target.collectorHost}:${target.collectorPort}`;
    this.client = new ReportClient(target);
    this.limits = {
      maxSpans: options.maxSpansPerReport ?? DEFAULT_MAX_SPAN_RECORDS,
      maxBytes: options.maxReportBytes ?? DEFAULT_MAX_REPORT_BYTES,
    };
    this.maxComponents = options.maxComponents ?? DEFAULT_MAX_COMPONENTS;
  }

  export(spans: readonly FinishedSpan[]): void {
    // Written now, so a span the wire cannot carry is refused here and never fails a report. All
    // or nothing: a throw takes back every span this call wrote (and any component it created).
    const marks: Mark[] = [];
    let component: Component | undefined;
    try {
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i];
        // Batches are mostly one component: skip the lookup while it stays the same.
        if (component === undefined || component.name !== span.component) component = this.componentFor(span.component, marks);
        component.pending.add(span);
      }
    } catch (error) {
      this.takeBack(marks);
      throw error;
    }
  }

  /**
   * Spans straight from the decoder, written as they come (no FinishedSpan per span): the same
   * report bytes as export() of their FinishedSpans, all or nothing per line.
   */
  lineSink(): LineSink {
    return this.sink;
  }

  /**
   * Delivers the spans exported before this call, and only those. Flushes run one after the
   * other: one exporter serves parallel log streams locally, and a flush must never resolve
   * while its spans went down with another flush's failed report.
   */
  flush(options: FlushOptions = {}): Promise<void> {
    const batch: FlushBatch = [];
    let size = 0;
    for (const component of this.byName.values()) {
      if (component.pending.count === 0) continue;
      batch.push({ component, spans: component.pending });
      size += component.pending.count;
      // Sized like this batch: the next delivery of a log group is most likely as large, and the
      // buffer then need not grow (and copy) its way up from 64 KiB again.
      component.pending = new EncodedSpans(initialBytesAfter(component.pending.bytes));
    }
    this.queued += size;
    const run = this.flushChain.then(() => this.deliver(batch, options.deadlineMs)).finally(() => {
      this.queued -= size;
    });
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  async shutdown(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.close();
    }
  }

  /** Components that have a reporter (for tests and diagnostics). */
  components(): string[] {
    return [...this.byName.keys()];
  }

  /** Spans exported and not yet delivered or dropped: 0 after every flush, failed or not. */
  buffered(): number {
    let count = this.queued;
    for (const component of this.byName.values()) count += component.pending.count;
    return count;
  }

  /** Releases the kept-alive sockets. */
  close(): void {
    this.client.close();
  }

  private async deliver(batch: FlushBatch, deadlineMs: number | undefined): Promise<void> {
    const results = await Promise.allSettled(batch.map(({ component, spans }) => this.report(component, spans, deadlineMs)));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [`${batch[i].component.name}: ${describe(result.reason)}${streak(batch[i].component)}`] : [],
    );
    if (failures.length > 0) {
      const { collectorHost, collectorPort } = this.target;
      throw new FlushError(`LightStep report to ${collectorHost}:${collectorPort} failed (${failures.join('; ')})`);
    }
  }

  /**
   * One component's spans, report after report. The first failure drops the rest: Lambda
   * retries the whole event, so nothing may stay behind to be sent twice.
   */
  private async report(component: Component, spans: EncodedSpans, deadlineMs: number | undefined): Promise<void> {
    for (const range of spans.cut(component.header.length, this.limits)) {
      try {
        await this.client.post(spans.reportChunks(component.header, range), deadlineMs);
      } catch (error) {
        component.failureStreak++;
        throw error;
      }
      component.failureStreak = 0;
    }
  }

  /** Undoes what was written since the marks (and the components created since). */
  private takeBack(marks: readonly Mark[]): void {
    for (const mark of marks) {
      mark.component.pending.rollback(mark.count);
      if (mark.created) this.byName.delete(mark.component.name);
    }
  }

  private componentFor(name: string, marks: Mark[]): Component {
    let component = this.byName.get(name);
    const created = component === undefined;
    if (component === undefined) {
      if (this.byName.size >= this.maxComponents) this.makeRoom(name);
      component = {
        name,
        header: writeReportHeader(reportSenderFor(name, this.target.accessToken)),
        pending: new EncodedSpans(),
        failureStreak: 0,
        lastUsed: 0,
      };
      this.byName.set(name, component);
    }
    component.lastUsed = ++this.uses;
    if (!marks.some((mark) => mark.component === component)) marks.push({ component, count: component.pending.count, created });
    return component;
  }

  /** Forgets the idlest component with no spans waiting (a flush in flight keeps its own); throws when every one has some. */
  private makeRoom(newcomer: string): void {
    let idlest: Component | undefined;
    for (const component of this.byName.values()) {
      if (component.pending.count === 0 && (idlest === undefined || component.lastUsed < idlest.lastUsed)) idlest = component;
    }
    if (idlest === undefined) {
      throw new ComponentLimitError(`component ${JSON.stringify(newcomer.slice(0, 64))} would be one more than the ${this.maxComponents} with spans waiting`);
    }
    this.byName.delete(idlest.name);
  }

}

/** A pending buffer's first size after a batch of `bytes`: the power of two that holds it, 64 KiB to 4 MiB. */
export function initialBytesAfter(bytes: number): number {
  let size = 64 * 1024;
  while (size < bytes && size < 4 * 1024 * 1024) size *= 2;
  return size;
}

/** One component's failure: the client's errors are ReportErrors, token-free by construction. */
function describe(reason: unknown): string {
  if (reason instanceof ReportError) return reason.code && !reason.message.includes(reason.code) ? `${reason.code} ${reason.message}` : reason.message;
  return reason instanceof Error ? reason.name : 'error';
}

function streak(component: Component): string {
  return component.failureStreak > 1 ? ` (${component.failureStreak} failed reports in a row)` : '';
}
