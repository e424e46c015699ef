/**
 * Whether a collector's 200 body is a lightstep.collector.ReportResponse, without decoding it
 * (the forwarder uses nothing in it: no clock correction for re-emitted spans, and the tracer
 * itself only logs its errors at a verbosity the project never sets). A walk over the top-level
 * fields as collector_pb reads them: commands, receive/transmit timestamps, errors, warnings and
 * infos (fields 1–6) are length-delimited; other fields are skipped by wire type. An empty body is
 * an empty ReportResponse. Throws an Error saying why not; the text never quotes the body.
 */
export function checkReportResponse(body: Uint8Array): void {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= body.length) throw new Error(`a varint runs past the end at byte ${at}`);
      const byte = body[at++];
      if (shift < 35) value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > 63) throw new Error(`a varint longer than 10 bytes at byte ${at}`);
    }
  };
  while (at < body.length) {
    const start = at;
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new Error(`field number 0 at byte ${start}`);
    if (field <= 6 && wireType !== 2) throw new Error(`field ${field} has wire type ${wireType}, not length-delimited`);
    switch (wireType) {
      case 0:
        varint();
        break;
      case 1:
        at += 8;
        break;
      case 2: {
        const length = varint(); // read first: `at += varint()` would add to the old `at`
        at += length;
        break;
      }
      case 5:
        at += 4;
        break;
      default:
        throw new Error(`wire type ${wireType} at byte ${start}`);
    }
    if (at > body.length) throw new Error(`field ${field} runs past the end`);
  }
}
