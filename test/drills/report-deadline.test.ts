// Found by the slow-collector drill: the report timeout was an idle timeout, so a collector that
// trickled its answer a byte at a time held a report (and the forwarder's invocation) until it
// finished, 30 s instead of the 500 ms configured; now it is one deadline for the whole exchange.
import { KeptAliveSockets } from '../../src/common/http-post';
import { postReport, type PostResult } from '../../src/lightstep/post-report';
import { startSlowCollector, type SlowKind } from '../../drills/support/slow-collector';

describe.each<SlowKind>(['trickle', 'headers-then-silence', 'silent'])('a collector that answers after 4 s (%s)', (kind) => {
  it('fails the report at its 300 ms timeout with ETIMEDOUT, never waiting for the answer', async () => {
    const slow = await startSlowCollector(kind, 4000);
    const target = { tls: false, host: '127.0.0.1', port: slow.port, path: '/api/v2/reports' };
    const sockets = new KeptAliveSockets(target);
    try {
      const result = await new Promise<PostResult>((resolve) =>
        postReport(target, sockets, 'token-xyz', Buffer.from('report'), 300, resolve),
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('ETIMEDOUT');
      expect(result.error.message).toBe('no answer within 300 ms');
      expect(slow.requests).toBe(1);
    } finally {
      sockets.close();
      await slow.close();
    }
  });
});
