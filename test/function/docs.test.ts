import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeAll } from './helpers/lambda';
import { LOG_MODE_ENV, runTs } from './helpers/run-node';

// docs/function.md shows the example that `npm test` type-checks; this keeps the two identical.
test('the docs example is the type-checked example file', () => {
  const root = resolve(__dirname, '../..');
  const example = readFileSync(resolve(root, 'test/function/fixtures/example-own-function.ts'), 'utf8');
  const docs = readFileSync(resolve(root, 'docs/function.md'), 'utf8');
  expect(docs).toContain(example.replace("'../../../src/function'", "'./src/function'"));
});

test('the docs example runs: a joined lambda-execution span and its load-order child on stdout', async () => {
  const run = await runTs('test/function/fixtures/run-example.ts', [], LOG_MODE_ENV);
  expect(run.stderr.trim()).toBe('{"statusCode":200,"body":"{\\"requestId\\":\\"docs-1\\"}"}');
  const [child, execution] = decodeAll(run.stdout.trim().split('\n'));
  expect(execution).toMatchObject({ operation: 'lambda-execution', component: 'orders_function', parentSpanId: 'bbbbbbbbbbbbbbbb' });
  expect(child).toMatchObject({ operation: 'load-order', parentSpanId: execution.spanId, tags: { 'db.type': 'dynamodb' } });
});
