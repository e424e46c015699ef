import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// docs/function.md shows the example that `npm test` type-checks; this keeps the two identical.
test('the docs example is the type-checked example file', () => {
  const root = resolve(__dirname, '../..');
  const example = readFileSync(resolve(root, 'test/function/fixtures/example-own-function.ts'), 'utf8');
  const docs = readFileSync(resolve(root, 'docs/function.md'), 'utf8');
  expect(docs).toContain(example.replace("'../../../src/function'", "'./src/function'"));
});
