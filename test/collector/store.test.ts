// TraceStore on its own: summaries, root detection, ordering, idempotence.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceStore } from '../../src/collector/store';
import type { StoredSpan } from '../../src/collector/types';

function span(over: Partial<StoredSpan> & Pick<StoredSpan, 'traceId' | 'spanId'>): StoredSpan {
  return { operation: 'op', component: 'c', startMicros: 1_000_000, durationMicros: 10, tags: {}, logs: [], ...over };
}

describe('TraceStore', () => {
  let store: TraceStore;
  beforeEach(() => {
    store = new TraceStore(':memory:');
  });
  afterEach(() => store.close());

  it('lists traces newest first with root, span count, duration and errors', () => {
    store.addSpans([
      span({ traceId: 'aa00000000000001', spanId: '0000000000000001', operation: 'old-root', startMicros: 100, durationMicros: 50 }),
      span({ traceId: 'aa00000000000002', spanId: '0000000000000010', operation: 'new-root', component: 'node-service', startMicros: 200, durationMicros: 100 }),
      span({ traceId: 'aa00000000000002', spanId: '0000000000000011', parentSpanId: '0000000000000010', startMicros: 250, durationMicros: 80, tags: { error: 'true' } }),
      span({ traceId: 'aa00000000000002', spanId: '0000000000000012', parentSpanId: '0000000000000011', startMicros: 260, durationMicros: 5, tags: { error: true } }),
      span({ traceId: 'aa00000000000002', spanId: '0000000000000013', parentSpanId: '0000000000000010', startMicros: 260, durationMicros: 5, tags: { error: false } }),
    ]);

    expect(store.listTraces(10)).toEqual([
      { traceId: 'aa00000000000002', rootOperation: 'new-root', rootComponent: 'node-service', spanCount: 4, durationMicros: 130, startMicros: 200, errorCount: 2 },
      { traceId: 'aa00000000000001', rootOperation: 'old-root', rootComponent: 'c', spanCount: 1, durationMicros: 50, startMicros: 100, errorCount: 0 },
    ]);
    expect(store.listTraces(1).map((t) => t.traceId)).toEqual(['aa00000000000002']);
    expect(store.countSpans()).toBe(5);
  });

  it('takes as root the earliest span whose parent has not arrived', () => {
    store.addSpans([
      span({ traceId: 'bb00000000000001', spanId: '0000000000000002', parentSpanId: '00000000000000ff', operation: 'orphan', startMicros: 20 }),
      span({ traceId: 'bb00000000000001', spanId: '0000000000000003', parentSpanId: '0000000000000002', operation: 'child', startMicros: 10 }),
    ]);
    expect(store.listTraces(1)[0].rootOperation).toBe('orphan');
  });

  it('ignores a span already stored, keeping the first copy and the counts', () => {
    const first = span({ traceId: 'cc00000000000001', spanId: '0000000000000001', operation: 'first', tags: { error: true } });
    expect(store.addSpans([first])).toBe(1);
    expect(store.addSpans([{ ...first, operation: 'second' }])).toBe(0);
    expect(store.getTrace('cc00000000000001').map((s) => s.operation)).toEqual(['first']);
    expect(store.listTraces(1)[0]).toMatchObject({ spanCount: 1, errorCount: 1 });
  });

  it('returns spans by start time and [] for an unknown trace', () => {
    store.addSpans([
      span({ traceId: 'dd00000000000001', spanId: '0000000000000002', startMicros: 30 }),
      span({ traceId: 'dd00000000000001', spanId: '0000000000000001', startMicros: 10 }),
    ]);
    expect(store.getTrace('DD00000000000001').map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000002']);
    expect(store.getTrace('0000000000000bad')).toEqual([]);
  });

  it('persists to a file and reopens it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'collector-'));
    try {
      const path = join(dir, 'nested', 'collector.sqlite');
      const fileStore = new TraceStore(path);
      fileStore.addSpans([span({ traceId: 'ee00000000000001', spanId: '0000000000000001' })]);
      fileStore.close();
      const reopened = new TraceStore(path);
      expect(reopened.countSpans()).toBe(1);
      reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
