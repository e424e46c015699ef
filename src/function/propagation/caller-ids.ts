/** What one propagation format read from the caller's headers: ids already checked and lowercased. */
export interface CallerIds {
  /** 16 or 32 lowercase hex, lower 64 bits not zero (src/span-line/ids). */
  traceId: string;
  /** 16 lowercase hex, not zero. */
  spanId: string;
  sampled: boolean;
  /** W3C tracestate, carried on unchanged ('' when none). */
  traceState: string;
}
