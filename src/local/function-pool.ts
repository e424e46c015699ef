import { randomUUID } from 'node:crypto';
import type { CloudWatchLogsLogEvent } from 'aws-lambda';
import { FunctionContainer, type FunctionDefinition, type InvokeOutcome } from './function-container';

export interface FunctionPoolOptions {
  fn: FunctionDefinition;
  /** Containers at most (Lambda's concurrency); further requests wait for a free one. */
  maxContainers: number;
  onLogEvent: (logStream: string, event: CloudWatchLogsLogEvent) => void;
}

/**
 * Warm containers for one function, like Lambda's: an idle container is reused; a new one
 * starts only when every container is busy (so overlapping requests run in parallel processes).
 */
export class FunctionPool {
  private readonly containers = new Set<FunctionContainer>();
  /** Containers handed to a request, from acquire() until its invocation is over. */
  private readonly leased = new Set<FunctionContainer>();
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: FunctionPoolOptions) {}

  /** Starts one container ahead of the first request; rejects when the handler fails to load. */
  async prewarm(): Promise<void> {
    await this.spawn().start();
  }

  /** Runs one invocation with a fresh request id. Never rejects once the pool is open. */
  async invoke(event: unknown, awsRequestId: string = randomUUID()): Promise<InvokeOutcome> {
    const container = await this.acquire();
    try {
      await container.start();
      return await container.invoke(event, awsRequestId);
    } catch (error) {
      return { kind: 'crash', detail: (error as Error).message };
    } finally {
      this.leased.delete(container);
      this.waiting.shift()?.();
    }
  }

  /** Containers alive now. */
  get size(): number {
    return this.containers.size;
  }

  /** Stops every container; resolves when all are gone and their last log lines were handed on. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all([...this.containers].map((c) => c.stop()));
  }

  private async acquire(): Promise<FunctionContainer> {
    for (;;) {
      if (this.closed) throw new Error('function pool is closed');
      let chosen: FunctionContainer | undefined;
      for (const c of this.containers) {
        if (c.alive && !this.leased.has(c)) {
          chosen = c;
          break;
        }
      }
      if (!chosen && this.containers.size < this.options.maxContainers) chosen = this.spawn();
      if (chosen) {
        this.leased.add(chosen);
        return chosen;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private spawn(): FunctionContainer {
    const container = new FunctionContainer(this.options.fn, this.options.onLogEvent, (gone) => {
      this.containers.delete(gone);
      this.waiting.shift()?.(); // a waiting request may now start a replacement
    });
    this.containers.add(container);
    return container;
  }
}
