import { createDemoHandler } from '../../src/function/demo-handler';
import { MASK } from '../../src/function/secret-mask';
import { traced } from '../../src/function/traced';
import { capturingTracer, decodeAll, lambdaContext, loadEvent } from './helpers/lambda';

// traced() records what it names and nothing else of the request: method and path as tags, the
// tracing headers (ids, sampling, baggage). Never another header, the query string or the body.
const SECRETS = ['Bearer eyJhbGciOi-secret', 'sid=cookie-secret', 'ak-header-secret', 'body-password-secret', 'query-token-secret', 'basic-auth-secret', 'caller-session-secret'];

function secretEvent(): Record<string, unknown> {
  const event = loadEvent('apigw-rest-v1.json');
  const headers = {
    ...(event.headers as Record<string, string>),
    Authorization: SECRETS[0],
    Cookie: SECRETS[1],
    'X-Api-Key': SECRETS[2],
    'Proxy-Authorization': SECRETS[5],
    'OT-Baggage-Session_Id': SECRETS[6],
  };
  return {
    ...event,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    body: JSON.stringify({ n: 3, password: SECRETS[3] }),
    queryStringParameters: { n: '3', token: SECRETS[4] },
    multiValueQueryStringParameters: { n: ['3'], token: [SECRETS[4]] },
  };
}

test('the invocation span carries only the named tags and the tracing headers\' baggage; no secret reaches the line', async () => {
  const { tracer, lines } = capturingTracer();
  await traced(async () => ({ statusCode: 201 }), { tracer })(secretEvent() as never, lambdaContext());
  const [execution] = decodeAll(lines);
  expect(Object.keys(execution.tags).sort()).toEqual(
    ['aws.request_id', 'faas.coldstart', 'faas.name', 'faas.version', 'http.method', 'http.path', 'http.status_code', 'span.kind'].sort(),
  );
  expect(execution.tags['http.path']).toBe('/compute'); // the path, not the query string
  expect(execution.logs).toEqual([]);
  expect(execution.baggage).toEqual({ customer: 'acme', session_id: MASK }); // from ot-baggage-*, the secret one masked
  for (const secret of SECRETS) expect(lines.join('\n')).not.toContain(secret);
});

test('the demo handler too: it reads n from the body, records n, and nothing else of the request', async () => {
  const { tracer, lines } = capturingTracer();
  const response = await createDemoHandler(tracer)(secretEvent(), lambdaContext());
  expect(response.statusCode).toBe(200);
  const [compute] = decodeAll(lines);
  expect(compute.tags).toEqual({ 'demo.n': 3, 'demo.sum_of_squares': 14 });
  for (const secret of SECRETS) expect(lines.join('\n')).not.toContain(secret);
});
