import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, readBundleTargets, readTemplate } from '../../scripts/build';
import type { CfnResource, CfnTemplate } from '../../scripts/cfn-yaml';
import { SPAN_LINE_FILTER_PATTERN } from '../../src/span-line';
import { isIntrinsic, loadShippedSpec, loadSpec, SPEC_ADDITIONS, validateTemplate } from './cfn-spec';
import { danglingReferences, subVariables } from './references';

// No AWS here: these checks carry the weight of a first `sam deploy` that has to work.

const template: CfnTemplate = readTemplate();
const spec = loadSpec();
const resources = template.Resources;

function resourcesOfType(type: string): Array<[string, CfnResource]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}
function props(id: string): Record<string, unknown> {
  const resource = resources[id];
  if (!resource) throw new Error(`template has no resource ${id}`);
  return resource.Properties ?? {};
}
/** A function's properties as SAM sees them: Globals.Function merged under its own. */
function functionProps(id: string): Record<string, unknown> {
  return { ...template.Globals?.Function, ...props(id) };
}
const serverlessFunctions = resourcesOfType('AWS::Serverless::Function').map(([id]) => id);

/** Fn::If → both branches (minus AWS::NoValue); anything else → itself. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves Ref (parameters, as strings), Fn::If, Fn::Not and Fn::Equals like CloudFormation. */
function resolveIntrinsics(value: unknown, parameters: Record<string, string>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) {
    if (node.Ref === 'AWS::NoValue') return NO_VALUE;
    const name = String(node.Ref);
    if (!(name in parameters)) throw new Error(`no value for parameter ${name}`);
    return parameters[name];
  }
  if ('Fn::Equals' in node) {
    const [a, b] = (node['Fn::Equals'] as unknown[]).map((v) => resolveIntrinsics(v, parameters));
    return a === b;
  }
  if ('Fn::Not' in node) return !resolveIntrinsics((node['Fn::Not'] as unknown[])[0], parameters);
  if ('Fn::If' in node) {
    const [condition, whenTrue, whenFalse] = node['Fn::If'] as [string, unknown, unknown];
    const holds = resolveIntrinsics(template.Conditions?.[condition], parameters);
    return resolveIntrinsics(holds ? whenTrue : whenFalse, parameters);
  }
  throw new Error(`unresolved: ${JSON.stringify(value)}`);
}

function branches(value: unknown): unknown[] {
  if (isIntrinsic(value) && Array.isArray(value['Fn::If'])) {
    return (value['Fn::If'] as unknown[]).slice(1).flatMap(branches).filter((v) => !isRef(v, 'AWS::NoValue'));
  }
  return [value];
}
function isRef(value: unknown, name: string): boolean {
  return isIntrinsic(value) && value.Ref === name;
}
function isGetAtt(value: unknown, resource: string, attribute: string): boolean {
  return isIntrinsic(value) && JSON.stringify(value['Fn::GetAtt']) === JSON.stringify([resource, attribute]);
}
function subText(value: unknown): string | undefined {
  return isIntrinsic(value) && typeof value['Fn::Sub'] === 'string' ? value['Fn::Sub'] : undefined;
}

type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Condition?: unknown };
/** Every statement of every inline policy on every role, with where it came from. */
function policyStatements(): Array<{ role: string; policy: string; statement: Statement }> {
  return resourcesOfType('AWS::IAM::Role').flatMap(([role, resource]) =>
    ((resource.Properties?.Policies ?? []) as unknown[]).flatMap(branches).map((p) => p as { PolicyName: string; PolicyDocument: { Statement: unknown[] } }).flatMap((policy) =>
      policy.PolicyDocument.Statement.flatMap(branches).map((statement) => ({ role, policy: policy.PolicyName, statement: statement as Statement })),
    ),
  );
}
function actions(statement: Statement): string[] {
  return [statement.Action].flat();
}
function roleOf(functionId: string): string {
  const role = functionProps(functionId).Role;
  if (!isIntrinsic(role) || !Array.isArray(role['Fn::GetAtt'])) throw new Error(`${functionId}: Role is not a GetAtt of a role in this template`);
  return (role['Fn::GetAtt'] as string[])[0]!;
}
/** The log group resource Lambda writes this function's logs to: its LoggingConfig.LogGroup. */
function logGroupOf(functionId: string): string {
  const logGroup = (functionProps(functionId).LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
  const id = isIntrinsic(logGroup) && typeof logGroup.Ref === 'string' ? logGroup.Ref : undefined;
  if (!id || resources[id]?.Type !== 'AWS::Logs::LogGroup') throw new Error(`${functionId}: LoggingConfig.LogGroup is not a Ref of a log group in this template`);
  return id;
}
/** Fn::Sub text with ${Name} replaced from values (every variable must be given). */
function substitute(value: unknown, values: Record<string, string>): string {
  const text = subText(value);
  if (text === undefined) throw new Error(`not a Fn::Sub string: ${JSON.stringify(value)}`);
  return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
    if (!(name in values)) throw new Error(`no value for \${${name}}`);
    return values[name]!;
  });
}

describe('template.yaml against the CloudFormation and SAM specifications', () => {
  test(`every resource type, property name, required property and value shape is valid (@aws-cdk/cfnspec, spec ${spec.ResourceSpecificationVersion})`, () => {
    expect(validateTemplate(template, spec)).toEqual([]);
  });

  test('the validator is not a rubber stamp: a misspelt, a missing and a mistyped property are reported', () => {
    const broken = JSON.parse(JSON.stringify(template)) as CfnTemplate;
    broken.Resources.TracedFunctionLogGroup!.Properties!.RetentionDays = 14;
    delete broken.Resources.LogSpanForwarderInvokePermission!.Properties!.Principal;
    broken.Resources.LogSpanForwarderInvokeConfig!.Properties!.MaximumRetryAttempts = 'twice';
    (broken.Resources.TracedFunction!.Properties!.LoggingConfig as Record<string, unknown>).LogGroupName = 'x';
    (broken.Resources.TracedFunction!.Properties!.Events as Record<string, { Properties: Record<string, unknown> }>).Api!.Properties.Paths = '/x';
    broken.Resources.Mystery = { Type: 'AWS::Lambda::Functions', Properties: {} };
    const errors = validateTemplate(broken, spec).join('\n');
    expect(errors).toMatch(/TracedFunctionLogGroup\.Properties\.RetentionDays: not a property of AWS::Logs::LogGroup/);
    expect(errors).toMatch(/LogSpanForwarderInvokePermission\.Properties\.Principal: required property missing/);
    expect(errors).toMatch(/MaximumRetryAttempts: expected Integer/);
    expect(errors).toMatch(/TracedFunction\.Properties\.LoggingConfig\.LogGroupName: not a property of AWS::Serverless::Function\.LoggingConfig/);
    expect(errors).toMatch(/Events\[Api\]\.Properties\.Paths: not a property of AWS::Serverless::Function\.HttpApiEvent/);
    expect(errors).toMatch(/Mystery: unknown resource type AWS::Lambda::Functions/);
  });

  test('the spec additions (LoggingConfig, AWS::Logs::AccountPolicy) only add what the shipped specification lacks', () => {
    const shipped = loadShippedSpec();
    for (const [type, properties] of Object.entries(SPEC_ADDITIONS.resourceProperties)) {
      for (const name of Object.keys(properties)) expect({ type, name, shipped: name in (shipped.ResourceTypes[type]?.Properties ?? {}) }).toEqual({ type, name, shipped: false });
    }
    for (const name of Object.keys(SPEC_ADDITIONS.propertyTypes)) expect({ name, shipped: name in shipped.PropertyTypes }).toEqual({ name, shipped: false });
    for (const name of Object.keys(SPEC_ADDITIONS.resourceTypes)) expect({ name, shipped: name in shipped.ResourceTypes }).toEqual({ name, shipped: false });
    // And they are used, so none is dead weight.
    expect(resourcesOfType('AWS::Logs::AccountPolicy')).toHaveLength(1);
    expect(serverlessFunctions.every((id) => functionProps(id).LoggingConfig !== undefined)).toBe(true);
  });

  test('is a SAM template', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31');
  });

  test('every Ref, GetAtt, ${} in Sub, condition and DependsOn names something that exists', () => {
    expect(danglingReferences(template, spec)).toEqual([]);
  });

  test('the reference check catches a dangling Ref, GetAtt attribute and Sub variable', () => {
    const broken = JSON.parse(JSON.stringify(template)) as CfnTemplate;
    broken.Resources.TracedFunctionLogGroup!.Properties!.RetentionInDays = { Ref: 'LogRetention' };
    broken.Resources.LogSpanForwarderInvokePermission!.Properties!.SourceArn = { 'Fn::GetAtt': ['TracedFunctionLogGroup', 'Name'] };
    broken.Resources.LogSpanForwarder!.Properties!.FunctionName = { 'Fn::Sub': '${AWS::StackNam}-x' };
    expect(danglingReferences(broken, spec)).toEqual([
      'Resources.TracedFunctionLogGroup.Properties.RetentionInDays: Ref LogRetention names no parameter, resource or pseudo parameter',
      'Resources.LogSpanForwarder.Properties.FunctionName: Ref AWS::StackNam names no parameter, resource or pseudo parameter',
      'Resources.LogSpanForwarderInvokePermission.Properties.SourceArn: GetAtt TracedFunctionLogGroup.Name: AWS::Logs::LogGroup has no attribute Name',
    ]);
  });

  test('every parameter is used, so none is a dead knob', () => {
    const text = JSON.stringify({ r: resources, c: template.Conditions, o: template.Outputs, g: template.Globals });
    const subs = [...text.matchAll(/"Fn::Sub":"((?:[^"\\]|\\.)*)"/g)].flatMap((m) => subVariables(m[1]!));
    for (const name of Object.keys(template.Parameters ?? {})) {
      expect({ name, used: text.includes(`{"Ref":"${name}"}`) || subs.includes(name) }).toEqual({ name, used: true });
    }
  });
});

describe('functions: runtime, architecture, bundles and handlers', () => {
  test('three esbuild-built functions: traced (log), traced (direct) and the forwarder', () => {
    expect(serverlessFunctions.sort()).toEqual(['DirectTracedFunction', 'LogSpanForwarder', 'TracedFunction']);
  });

  test.each(serverlessFunctions)('%s runs on a supported Node.js runtime (nodejs22.x or newer) on arm64', (id) => {
    const { Runtime, Architectures } = functionProps(id);
    const major = /^nodejs(\d+)\.x$/.exec(String(Runtime))?.[1];
    expect(Number(major)).toBeGreaterThanOrEqual(22);
    expect(Architectures).toEqual(['arm64']);
  });

  test.each(serverlessFunctions)('%s is bundled by esbuild for node22, cjs, minified, with source maps', (id) => {
    const metadata = resources[id]!.Metadata as { BuildMethod: string; BuildProperties: Record<string, unknown> };
    expect(metadata.BuildMethod).toBe('esbuild');
    expect(metadata.BuildProperties).toMatchObject({ Target: 'node22', Format: 'cjs', Minify: true, Sourcemap: true });
    // sam build finds esbuild in its scratch copy only if it installed dev dependencies there.
    expect(metadata.BuildProperties.UseNpmCi).toBe(true);
    // The nodejs22.x runtime provides AWS SDK v3; bundling it would only add cold-start bytes.
    expect(metadata.BuildProperties.External).toContain('@aws-sdk/*');
  });

  test.each(readBundleTargets().map((t) => [t.logicalId, t] as const))(
    '%s: the entry point exists and exports the handler the template names',
    (_id, target) => {
      // esbuild writes a lone entry point as <outdir>/<basename>.js; Handler must point at that file.
      expect(target.entryPoints).toHaveLength(1);
      const entry = target.entryPoints[0]!;
      expect(path.relative(PROJECT_ROOT, entry)).toMatch(/^src\/(function|log-span-forwarder)\/handler\.ts$/);
      expect(`${path.basename(entry, '.ts')}.js`).toBe(target.handlerFile);
      expect(existsSync(entry)).toBe(true);
      const source = readFileSync(entry, 'utf8');
      const exportName = target.handlerExport.replace(/[$]/g, '\\$');
      expect(source).toMatch(new RegExp(`export\\s+(?:async\\s+)?(?:function\\*?|const|let|var)\\s+${exportName}\\b|export\\s*\\{[^}]*\\b${exportName}\\b[^}]*\\}`));
    },
  );

  test('the log-mode function keeps lightstep-tracer out of its bundle; the direct copy bundles it', () => {
    const external = (id: string) => (resources[id]!.Metadata as { BuildProperties: { External: string[] } }).BuildProperties.External;
    expect(external('TracedFunction')).toContain('lightstep-tracer');
    expect(external('DirectTracedFunction')).not.toContain('lightstep-tracer');
    expect(external('LogSpanForwarder')).not.toContain('lightstep-tracer');
    // Same source, same handler: only the bundling differs.
    expect(resources.DirectTracedFunction!.Metadata!.BuildProperties).toMatchObject({
      EntryPoints: (resources.TracedFunction!.Metadata!.BuildProperties as { EntryPoints: string[] }).EntryPoints,
    });
    expect(functionProps('DirectTracedFunction').Handler).toBe(functionProps('TracedFunction').Handler);
  });

  test('the two traced copies differ only in TRACE_REPORTING and the settings direct mode needs', () => {
    const env = (id: string) => (functionProps(id).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env('TracedFunction')).toEqual({ TRACE_REPORTING: 'log', COMPONENT_NAME: 'lambda_function' });
    expect(env('DirectTracedFunction')).toMatchObject({ TRACE_REPORTING: 'direct', COMPONENT_NAME: 'lambda_function' });
    expect(Object.keys(env('DirectTracedFunction')).sort()).toEqual([
      'COMPONENT_NAME', 'LIGHTSTEP_ACCESS_TOKEN_PARAMETER', 'LIGHTSTEP_COLLECTOR_ENCRYPTION',
      'LIGHTSTEP_COLLECTOR_HOST', 'LIGHTSTEP_COLLECTOR_PORT', 'TRACE_REPORTING',
    ]);
  });

  test.each(serverlessFunctions)('%s logs to its own log group of the stack (retention parameter), created before it', (id) => {
    const logGroup = logGroupOf(id);
    expect(props(logGroup).RetentionInDays).toEqual({ Ref: 'LogRetentionInDays' });
    // LoggingConfig.LogGroup is a Ref, so CloudFormation creates the group (and, for the traced
    // function, its subscription) before the function can be invoked; no unsubscribed,
    // never-expiring group appears beside it.
    expect(functionProps(id).LoggingConfig).toEqual({ LogGroup: { Ref: logGroup } });
    expect(subText(props(logGroup).LogGroupName)).toMatch(/^\/aws\/lambda\/\$\{AWS::StackName\}-[a-z-]+$/);
    expect(new Set(serverlessFunctions.map(logGroupOf)).size).toBe(serverlessFunctions.length);
  });

  test('any stack name works: no FunctionName (CloudFormation generates one within 64 characters), and every name built from the stack name fits for a 128-character stack name', () => {
    // `${AWS::StackName}-log-span-forwarder` broke Lambda's 64-character limit past 45 characters.
    for (const id of serverlessFunctions) expect({ id, FunctionName: functionProps(id).FunctionName }).toEqual({ id, FunctionName: undefined });
    const longest = 'a'.repeat(128); // CloudFormation's stack name limit
    const limits: Array<[string, string, number]> = [
      ...resourcesOfType('AWS::Logs::LogGroup').map(([id]) => [id, 'LogGroupName', 512] as [string, string, number]),
      ...resourcesOfType('AWS::Logs::AccountPolicy').map(([id]) => [id, 'PolicyName', 256] as [string, string, number]),
    ];
    expect(limits.length).toBeGreaterThan(3);
    for (const [id, property, limit] of limits) {
      const name = substitute(props(id)[property], { 'AWS::StackName': longest });
      expect({ id, fits: name.length <= limit }).toEqual({ id, fits: true });
    }
    // Nothing else names a resource after the stack.
    const named = Object.entries(resources).flatMap(([id, r]) =>
      Object.entries(r.Properties ?? {}).filter(([, v]) => subText(v)?.includes('${AWS::StackName}')).map(([key]) => `${id}.${key}`),
    );
    expect(named.sort()).toEqual(limits.map(([id, property]) => `${id}.${property}`).sort());
  });

  test('sam build finds esbuild on a clean clone: npm ci (UseNpmCi) installs the locked dev dependency esbuild into its scratch copy', () => {
    // SAM's esbuild workflow copies CodeUri without node_modules, installs there (`npm install
    // --production` unless UseNpmCi, then `npm ci` when CodeUri has a package-lock.json), and
    // runs the esbuild of that copy's node_modules/.bin, else one on PATH.
    const codeUri = path.resolve(PROJECT_ROOT, String(template.Globals?.Function?.CodeUri));
    const manifest = JSON.parse(readFileSync(path.join(codeUri, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(manifest.devDependencies).toHaveProperty('esbuild');
    expect(manifest.dependencies).not.toHaveProperty('esbuild'); // build-time only
    const lock = JSON.parse(readFileSync(path.join(codeUri, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; dev?: boolean; bin?: Record<string, string> }>;
    };
    const locked = lock.packages['node_modules/esbuild'];
    expect(locked).toMatchObject({ dev: true, bin: { esbuild: expect.any(String) } });
    // The esbuild `npm run build` and the bundle tests use is that same locked version.
    const installed = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(locked!.version);
  });
});

describe('the API: one HTTP API, both copies of the function, both URLs in Outputs', () => {
  const routes = (id: string) =>
    Object.values(functionProps(id).Events as Record<string, { Type: string; Properties: Record<string, unknown> }>);

  test.each([
    ['TracedFunction', '/function', 'TracedFunctionUrl'],
    ['DirectTracedFunction', '/function-direct', 'DirectTracedFunctionUrl'],
  ])('%s is routed at %s and its URL is output %s', (id, routePath, output) => {
    const [event] = routes(id);
    expect(routes(id)).toHaveLength(1);
    expect(event).toEqual({
      Type: 'HttpApi',
      Properties: { ApiId: { Ref: 'TracedApi' }, Method: 'ANY', Path: routePath, PayloadFormatVersion: '2.0' },
    });
    expect(resources.TracedApi!.Type).toBe('AWS::Serverless::HttpApi');
    // The default ($default) stage has no stage segment in its URL.
    expect(subText(template.Outputs?.[output]?.Value)).toBe(`https://\${TracedApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}${routePath}`);
  });

  test('the public API is throttled by default', () => {
    expect(props('TracedApi').DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: expect.any(Number), ThrottlingRateLimit: expect.any(Number) });
  });
});

describe('the forwarder: subscription, permission, retries, failure queue, concurrency', () => {
  const subscriptions = resourcesOfType('AWS::Logs::SubscriptionFilter');

  test(`exactly one subscription per deployment: the traced function's log group → the forwarder (or its stream), pattern ${SPAN_LINE_FILTER_PATTERN}`, () => {
    // Two subscriptions of one log group would send every span twice: the conditions exclude each other.
    const created = (kinesis: string) =>
      subscriptions.filter(([, s]) => s.Condition === undefined || resolveIntrinsics(template.Conditions?.[s.Condition], { KinesisStream: kinesis }) === true).map(([id]) => id);
    expect(created('false')).toEqual(['TracedFunctionSpanLineSubscription']);
    expect(created('true')).toEqual(['TracedFunctionSpanLineStreamSubscription']);
    expect(template.Parameters?.KinesisStream).toMatchObject({ Default: 'false', AllowedValues: ['false', 'true'] });
    const subscription = resources.TracedFunctionSpanLineSubscription!;
    expect(subscription.Properties).toEqual({
      LogGroupName: { Ref: logGroupOf('TracedFunction') },
      // One source of truth: the same constant the local stack's filter and the decoder use.
      FilterPattern: SPAN_LINE_FILTER_PATTERN,
      DestinationArn: { 'Fn::GetAtt': ['LogSpanForwarder', 'Arn'] },
    });
    // Created after the permission (PutSubscriptionFilter test-invokes the forwarder) and after the
    // retries and failure queue: a batch delivered before those exist would just be dropped.
    expect([subscription.DependsOn].flat().sort()).toEqual(['LogSpanForwarderInvokeConfig', 'LogSpanForwarderInvokePermission']);
    expect(resources.LogSpanForwarderInvokeConfig).toMatchObject({
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'LogSpanForwarder' } },
    });
  });

  test("the forwarder's own log group (and the direct copy's) is never subscribed: no feedback loop", () => {
    const subscribed = subscriptions.map(([, s]) => JSON.stringify(s.Properties?.LogGroupName));
    expect(subscribed).not.toContain(JSON.stringify({ Ref: logGroupOf('LogSpanForwarder') }));
    expect(subscribed).not.toContain(JSON.stringify({ Ref: logGroupOf('DirectTracedFunction') }));
  });

  test('logs.amazonaws.com may invoke the forwarder only from the traced log group, in this account', () => {
    expect(props('LogSpanForwarderInvokePermission')).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': ['LogSpanForwarder', 'Arn'] },
      Principal: 'logs.amazonaws.com',
      // AWS::Logs::LogGroup's Arn attribute ends in ":*", the form CloudWatch Logs presents.
      SourceArn: { 'Fn::GetAtt': [logGroupOf('TracedFunction'), 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  test('a failed batch is retried twice, then kept in an SQS queue the forwarder may write to', () => {
    const [[, config]] = resourcesOfType('AWS::Lambda::EventInvokeConfig') as [[string, CfnResource]];
    expect(config.Properties).toMatchObject({
      FunctionName: { Ref: 'LogSpanForwarder' },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['LogSpanForwarderFailureQueue', 'Arn'] } } },
    });
    expect(resources.LogSpanForwarderFailureQueue!.Type).toBe('AWS::SQS::Queue');
    // Undelivered batches outlive the stack (deleted or replaced): kept for replay.
    expect(resources.LogSpanForwarderFailureQueue).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const sends = policyStatements().filter(({ statement }) => actions(statement).includes('sqs:SendMessage'));
    expect(sends.map(({ role, statement }) => [role, statement.Resource])).toEqual([
      [roleOf('LogSpanForwarder'), { 'Fn::GetAtt': ['LogSpanForwarderFailureQueue', 'Arn'] }],
    ]);
  });

  test('reserved concurrency comes from a parameter; by default -1, which leaves it unset (unreserved)', () => {
    // Reserving any concurrency fails the deploy in a new account (concurrency limit 10).
    expect(template.Parameters?.ForwarderReservedConcurrency).toMatchObject({ Type: 'Number', Default: -1, MinValue: -1 });
    const reserved = functionProps('LogSpanForwarder').ReservedConcurrentExecutions;
    expect(reserved).toEqual({ 'Fn::If': ['HasForwarderReservedConcurrency', { Ref: 'ForwarderReservedConcurrency' }, { Ref: 'AWS::NoValue' }] });
    // Ref of a Number parameter yields a string: the condition compares strings.
    expect(template.Conditions?.HasForwarderReservedConcurrency).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ForwarderReservedConcurrency' }, '-1'] }],
    });
    // As CloudFormation resolves it: -1 leaves the property out, 2 reserves 2.
    const deployed = (value: number) => resolveIntrinsics(reserved, { ForwarderReservedConcurrency: String(value) });
    expect(deployed(Number(template.Parameters?.ForwarderReservedConcurrency?.Default))).toBe(NO_VALUE);
    expect(deployed(2)).toBe('2');
    // What the parameter says: Lambda keeps 100 unreserved; 0 sends every batch to the failure queue.
    const description = String(template.Parameters?.ForwarderReservedConcurrency?.Description);
    expect(description).toMatch(/\b100 unreserved\b/);
    expect(description).toMatch(/0 throttles every invocation.*straight to the failure queue/);
    expect(description).not.toMatch(/\b10 unreserved\b|stop the forwarder altogether/);
  });
});

describe('opt-in account-level forwarding (AccountSubscriptionPolicy)', () => {
  const conditional = Object.entries(resources).filter(([, r]) => r.Condition === 'CreateAccountSubscriptionPolicy').map(([id]) => id);
  const policy = props('SpanLineAccountSubscriptionPolicy');
  const forwarderArn = 'arn:aws:lambda:us-east-1:123456789012:function:stack-LogSpanForwarder-abc';
  const names = { LogSpanForwarderLogGroup: '/aws/lambda/stack-log-span-forwarder', TracedFunctionLogGroup: '/aws/lambda/stack-traced' };

  test("a 'false'|'true' parameter, off by default (and in samconfig.toml): it takes the account's one subscription policy per Region", () => {
    expect(template.Parameters?.AccountSubscriptionPolicy).toMatchObject({ Type: 'String', Default: 'false', AllowedValues: ['false', 'true'] });
    expect(template.Conditions?.CreateAccountSubscriptionPolicy).toEqual({ 'Fn::Equals': [{ Ref: 'AccountSubscriptionPolicy' }, 'true'] });
    const holds = (value: string) => resolveIntrinsics(template.Conditions?.CreateAccountSubscriptionPolicy, { AccountSubscriptionPolicy: value });
    expect(holds(String(template.Parameters?.AccountSubscriptionPolicy?.Default))).toBe(false);
    expect(holds('true')).toBe(true);
    expect(conditional.sort()).toEqual(['LogSpanForwarderAccountInvokePermission', 'SpanLineAccountSubscriptionPolicy']);
  });

  test(`an AWS::Logs::AccountPolicy of type SUBSCRIPTION_FILTER_POLICY: pattern ${SPAN_LINE_FILTER_PATTERN} to the forwarder, no RoleArn`, () => {
    expect(resources.SpanLineAccountSubscriptionPolicy!.Type).toBe('AWS::Logs::AccountPolicy');
    expect(policy).toMatchObject({ PolicyType: 'SUBSCRIPTION_FILTER_POLICY', Scope: 'ALL' });
    const document = JSON.parse(substitute(policy.PolicyDocument, { 'LogSpanForwarder.Arn': forwarderArn })) as Record<string, unknown>;
    // A Lambda destination takes its permission from the function's resource policy (below);
    // RoleArn is for Kinesis and Firehose, Distribution for Kinesis only.
    expect(document).toEqual({ DestinationArn: forwarderArn, FilterPattern: SPAN_LINE_FILTER_PATTERN });
  });

  test("its selection criteria exclude the forwarder's own log group (no loop) and the traced function's (already subscribed: no span twice)", () => {
    const criteria = substitute(policy.SelectionCriteria, names);
    const match = /^LogGroupName NOT IN (\[.*\])$/.exec(criteria);
    expect(match).not.toBeNull();
    expect((JSON.parse(match![1]!) as string[]).sort()).toEqual(Object.values(names).sort());
    // The names substituted are those log groups' names (Ref of AWS::Logs::LogGroup).
    expect(subText(policy.SelectionCriteria)).toBe(
      `LogGroupName NOT IN ["\${${logGroupOf('LogSpanForwarder')}}", "\${${logGroupOf('TracedFunction')}}"]`,
    );
  });

  test('logs.amazonaws.com may invoke the forwarder for any log group of this account and Region; the policy waits for that and for the retries', () => {
    expect(props('LogSpanForwarderAccountInvokePermission')).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': ['LogSpanForwarder', 'Arn'] },
      Principal: 'logs.amazonaws.com',
      SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*' },
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
    expect([resources.SpanLineAccountSubscriptionPolicy!.DependsOn].flat().sort()).toEqual([
      'LogSpanForwarderAccountInvokePermission', 'LogSpanForwarderInvokeConfig',
    ]);
  });
});

const otlpHeadersParameterArn = 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${OtlpHeadersParameterName}';

describe('the LightStep token and collector settings', () => {
  const tokenParameterArn =
    'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${LightStepAccessTokenParameterName}';

  test('the token is referenced by SSM parameter NAME only: no token parameter, variable or output', () => {
    const parameter = template.Parameters?.LightStepAccessTokenParameterName;
    expect(parameter).toMatchObject({ Type: 'String', Default: '/lightstep/access-token' });
    // A leading slash is what makes `parameter${Name}` a well-formed ARN.
    expect(new RegExp(String(parameter?.AllowedPattern)).test('/lightstep/access-token')).toBe(true);
    expect(new RegExp(String(parameter?.AllowedPattern)).test('lightstep/access-token')).toBe(false);
    expect(Object.keys(template.Parameters ?? {}).filter((p) => /token/i.test(p) && !/ParameterName|KmsKeyArn/.test(p))).toEqual([]);
    for (const id of serverlessFunctions) {
      const variables = (functionProps(id).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables).not.toHaveProperty('LIGHTSTEP_ACCESS_TOKEN');
      if ('LIGHTSTEP_ACCESS_TOKEN_PARAMETER' in variables) {
        expect(variables.LIGHTSTEP_ACCESS_TOKEN_PARAMETER).toEqual({ Ref: 'LightStepAccessTokenParameterName' });
      }
    }
    expect(JSON.stringify(template.Outputs)).not.toMatch(/LightStepAccessToken/);
  });

  test('exactly the forwarder and the direct copy may read the token, and only that one parameter (the forwarder also the OTLP headers one)', () => {
    const reads = policyStatements().filter(({ statement }) => actions(statement).some((a) => a.startsWith('ssm:')));
    const tokenReads = reads.filter(({ statement }) => subText(statement.Resource) === tokenParameterArn);
    expect(tokenReads.map(({ role }) => role).sort()).toEqual([roleOf('DirectTracedFunction'), roleOf('LogSpanForwarder')].sort());
    const others = reads.filter((read) => !tokenReads.includes(read));
    expect(others.map(({ role, statement }) => [role, subText(statement.Resource)])).toEqual([[roleOf('LogSpanForwarder'), otlpHeadersParameterArn]]);
    for (const { statement } of reads) expect(actions(statement)).toEqual(['ssm:GetParameter']);
  });

  test('the KMS key parameter takes key ARNs only (IAM does not match an alias ARN in a kms:Decrypt Resource), or empty', () => {
    const pattern = new RegExp(String(template.Parameters?.LightStepAccessTokenKmsKeyArn?.AllowedPattern));
    const accepted = [
      '',
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ];
    const refused = [
      'arn:aws:kms:us-east-1:123456789012:alias/lightstep',
      'alias/lightstep',
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:us-east-1:123456789012:key/*',
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab ',
    ];
    for (const value of accepted) expect({ value, ok: pattern.test(value) }).toEqual({ value, ok: true });
    for (const value of refused) expect({ value, ok: pattern.test(value) }).toEqual({ value, ok: false });
    expect(pattern.test(String(template.Parameters?.LightStepAccessTokenKmsKeyArn?.Default))).toBe(true);
  });

  test('kms:Decrypt only when a customer key is given, on that key, through SSM only', () => {
    const decrypts = policyStatements().filter(({ statement }) => actions(statement).some((a) => a.startsWith('kms:')));
    expect(decrypts.map(({ role }) => role).sort()).toEqual([roleOf('DirectTracedFunction'), roleOf('LogSpanForwarder')].sort());
    for (const { statement } of decrypts) {
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { Ref: 'LightStepAccessTokenKmsKeyArn' },
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'ssm.${AWS::Region}.${AWS::URLSuffix}' } } },
      });
    }
    const raw = JSON.stringify(resources);
    expect(raw.match(/"Fn::If":\["HasTokenKmsKey"/g)).toHaveLength(2);
  });

  test("collector host, port and encryption are parameters with LightStep's public defaults", () => {
    expect(template.Parameters).toMatchObject({
      LightStepCollectorHost: { Type: 'String', Default: 'collector.lightstep.com' },
      LightStepCollectorPort: { Type: 'Number', Default: 443 },
      LightStepCollectorEncryption: { Type: 'String', Default: 'tls', AllowedValues: ['tls', 'none'] },
    });
    for (const id of ['DirectTracedFunction', 'LogSpanForwarder']) {
      expect((functionProps(id).Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
        LIGHTSTEP_COLLECTOR_HOST: { Ref: 'LightStepCollectorHost' },
        LIGHTSTEP_COLLECTOR_PORT: { Ref: 'LightStepCollectorPort' },
        LIGHTSTEP_COLLECTOR_ENCRYPTION: { Ref: 'LightStepCollectorEncryption' },
        LIGHTSTEP_ACCESS_TOKEN_PARAMETER: { Ref: 'LightStepAccessTokenParameterName' },
      });
    }
  });
});

describe('the forwarder’s OTLP sink (OtlpEndpoint, OtlpHeadersParameterName)', () => {
  const variables = () => (functionProps('LogSpanForwarder').Environment as { Variables: Record<string, unknown> }).Variables;
  const defaults = Object.fromEntries(Object.entries(template.Parameters ?? {}).map(([name, p]) => [name, String(p.Default ?? '')]));
  const resolvedVariables = (values: Record<string, string>) => {
    const resolved: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(variables())) {
      const v = resolveIntrinsics(value, { ...defaults, ...values });
      if (v !== NO_VALUE) resolved[name] = v;
    }
    return resolved;
  };
  const forwarderReads = (values: Record<string, string>) =>
    ((resources[roleOf('LogSpanForwarder')].Properties?.Policies ?? []) as unknown[])
      // Conditional policies and statements resolved with these parameter values; plain ones as they are.
      .map((policy) => chosen(policy, { ...defaults, ...values }))
      .filter((policy) => policy !== NO_VALUE)
      .flatMap((policy) => (policy as { PolicyDocument: { Statement: unknown[] } }).PolicyDocument.Statement.map((statement) => chosen(statement, { ...defaults, ...values })))
      .filter((statement) => statement !== NO_VALUE && (statement as Statement).Action === 'ssm:GetParameter')
      .map((statement) => subText((statement as Statement).Resource));

  /** A statement as deployed with these parameters: an Fn::If's chosen branch (NO_VALUE for none). */
  function chosen(statement: unknown, parameters: Record<string, string>): unknown {
    if (!isIntrinsic(statement) || !Array.isArray(statement['Fn::If'])) return statement;
    const [condition, whenTrue, whenFalse] = statement['Fn::If'] as [string, unknown, unknown];
    const branch = resolveIntrinsics(template.Conditions?.[condition], parameters) ? whenTrue : whenFalse;
    return isRef(branch, 'AWS::NoValue') ? NO_VALUE : branch;
  }

  test('both parameters are optional strings, empty by default; the endpoint refuses credentials, the name needs a leading slash', () => {
    expect(template.Parameters).toMatchObject({ OtlpEndpoint: { Type: 'String', Default: '' }, OtlpHeadersParameterName: { Type: 'String', Default: '' } });
    const endpoint = new RegExp(String(template.Parameters?.OtlpEndpoint?.AllowedPattern));
    for (const ok of ['', 'https://ingest.lightstep.com/traces/otlp/v0.9', 'http://10.0.0.5:4318/v1/traces']) expect({ ok, accepted: endpoint.test(ok) }).toEqual({ ok, accepted: true });
    for (const bad of ['ingest.lightstep.com', 'https://user:secret@otlp.example/v1/traces', 'grpc://otlp.example:4317', 'https://a b']) expect({ bad, accepted: endpoint.test(bad) }).toEqual({ bad, accepted: false });
    const name = new RegExp(String(template.Parameters?.OtlpHeadersParameterName?.AllowedPattern));
    expect([name.test(''), name.test('/otlp/headers'), name.test('otlp/headers')]).toEqual([true, true, false]);
  });

  test('no OTLP variables, and no read of a headers parameter, unless they are given', () => {
    expect(resolvedVariables({})).not.toHaveProperty('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    expect(resolvedVariables({})).not.toHaveProperty('OTEL_EXPORTER_OTLP_HEADERS_PARAMETER');
    expect(forwarderReads({})).toEqual([expect.stringContaining('${LightStepAccessTokenParameterName}')]);
  });

  test('given: the endpoint as OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, the headers by parameter NAME, and ssm:GetParameter on that parameter only', () => {
    const values = { OtlpEndpoint: 'https://ingest.lightstep.com/traces/otlp/v0.9', OtlpHeadersParameterName: '/otlp/headers' };
    expect(resolvedVariables(values)).toMatchObject({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://ingest.lightstep.com/traces/otlp/v0.9',
      OTEL_EXPORTER_OTLP_HEADERS_PARAMETER: '/otlp/headers',
    });
    expect(resolvedVariables(values)).not.toHaveProperty('OTEL_EXPORTER_OTLP_HEADERS');
    expect(forwarderReads(values)).toEqual([expect.stringContaining('${LightStepAccessTokenParameterName}'), otlpHeadersParameterArn]);
    // The only headers setting in the whole template is the parameter name.
    expect(JSON.stringify(template)).not.toMatch(/OTEL_EXPORTER_OTLP_(TRACES_)?HEADERS"/);
  });
});

describe('least privilege', () => {
  test('every function has an explicit role from this template (no SAM default role with logs:* on "*")', () => {
    for (const id of serverlessFunctions) {
      expect(resources[roleOf(id)]?.Type).toBe('AWS::IAM::Role');
      expect(functionProps(id).Policies).toBeUndefined();
    }
    expect(new Set(serverlessFunctions.map(roleOf)).size).toBe(serverlessFunctions.length);
  });

  test('no statement uses Resource "*" or a wildcard action; every statement names its resource', () => {
    // No exception is needed here: every resource these roles touch has an ARN known at deploy time.
    const statements = policyStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const { role, policy, statement } of statements) {
      const where = `${role}/${policy}`;
      expect({ where, effect: statement.Effect }).toEqual({ where, effect: 'Allow' });
      expect({ where, resource: statement.Resource }).toEqual({ where, resource: expect.anything() });
      expect({ where, star: [statement.Resource].flat().some((r) => typeof r === 'string' && r.includes('*')) }).toEqual({ where, star: false });
      expect({ where, star: actions(statement).some((a) => a.includes('*')) }).toEqual({ where, star: false });
    }
  });

  test.each(serverlessFunctions)('%s may write only its own log group', (id) => {
    const writes = policyStatements().filter(({ role, statement }) => role === roleOf(id) && actions(statement).some((a) => a.startsWith('logs:')));
    expect(writes.map(({ statement }) => [actions(statement), statement.Resource])).toEqual([
      [['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': [logGroupOf(id), 'Arn'] }],
    ]);
  });

  test("functions' roles trust only the Lambda service", () => {
    // The one other role, CloudWatch Logs' for the Kinesis path, is checked in kinesis-path.test.ts.
    for (const [id, role] of resourcesOfType('AWS::IAM::Role').filter(([id]) => id !== 'SpanLineStreamDeliveryRole')) {
      expect(serverlessFunctions.map(roleOf)).toContain(id);
      expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
    }
  });

  test('the helpers see through Fn::If, so a conditional statement cannot hide a wildcard', () => {
    expect(branches({ 'Fn::If': ['C', { Resource: '*' }, { Ref: 'AWS::NoValue' }] })).toEqual([{ Resource: '*' }]);
    expect(isGetAtt({ 'Fn::GetAtt': ['A', 'Arn'] }, 'A', 'Arn')).toBe(true);
  });
});
