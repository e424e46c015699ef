// Found by the outage drill: while the collector was down, every /ot-gen flushed the service's
// tracer, and every failed report put all its spans back, so each request re-serialized the whole
// backlog: the in-process forwarder starved and the outage's retries ran late. Now, after a failed
// report, requests leave the spans buffered and only the retry timer (and close) report them.
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startCollector } from '../../src/collector/server';
import { createServiceTracer } from '../../src/service/tracer';

it('after a failed report, per-request flushes wait for the retry timer; close() still delivers every span', async () => {
  let connections = 0;
  const refusing = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  const port = (refusing.address() as AddressInfo).port;
  const target = { accessToken: 'token-for-this-test', collectorHost: '127.0.0.1', collectorPort: port, collectorEncryption: 'none' as const, reportTimeoutMillis: 2000 };
  const service = createServiceTracer(target, { verbosity: 0 });
  const finish = (n: number) => {
    for (let i = 0; i < n; i++) service.tracer.startSpan(`op-${i}`).finish();
  };

  let afterFirst = 0;
  try {
    finish(10);
    expect(await service.flush()).toBe(false);
    afterFirst = connections;
    for (let i = 0; i < 10; i++) {
      finish(10);
      expect(await service.flush()).toBe(false);
    }
  } finally {
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
  }
  expect(afterFirst).toBeGreaterThan(0);
  expect(connections).toBe(afterFirst); // no report per request while the collector is failing

  const collector = await startCollector({ port, dbPath: ':memory:' });
  try {
    await service.close();
    expect(collector.store.countSpans()).toBe(110);
  } finally {
    await collector.close();
  }
});
