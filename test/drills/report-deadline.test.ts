// Found by the slow-collector drill: the report timeout was an idle timeout, so a collector that
// trickled its answer a byte at a time held a report (and the forwarder's invocation) until it
// finished, 30 s instead of the 500 ms configured; now it is one deadline for the whole exchange.
import * as http from 'node:http';
import { postReport, type PostResult } from '../../src/lightstep/post-report';
import { startSlowCollector, type SlowKind } from '../../drills/support/slow-collector';

describe.each<SlowKind>(['trickle', 'headers-then-silence', 'silent'])('a collector that answers after 4 s (%s)', (kind) => {
  it('fails the report at its 300 ms timeout with ETIMEDOUT, never waiting for the answer', async () => {
    const slow = await startSlowCollector(kind, 4000);
    const agent = new http.Agent({ keepAlive: true });
    try {
      const result = await new Promise<PostResult>((resolve) =>
        postReport({ tls: false, host: '127.0.0.1', port: slow.port, path: '/api/v2/reports' }, agent, 'token-xyz', Buffer.from('report'), 300, resolve),
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('ETIMEDOUT');
      expect(result.error.message).toBe('no answer within 300 ms');
      expect(slow.requests).toBe(1);
    } finally {
      agent.destroy();
      await slow.close();
    }
  });
});
