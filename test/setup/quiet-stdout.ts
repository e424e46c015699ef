// In-process tests must not write the forwarder's summary lines (and other synchronous stdout
// lines) straight onto fd 1, where they bypass jest and flood its report. The writer itself is
// tested in child processes (test/common/sync-stdout.test.ts), where this replacement is absent.
jest.mock('../../src/common/sync-stdout', () => {
  const actual = jest.requireActual('../../src/common/sync-stdout');
  return {
    ...actual,
    writeStdoutLine: (line: string): void => {
      (globalThis as { __stdoutLines?: string[] }).__stdoutLines?.push(line);
    },
  };
});
