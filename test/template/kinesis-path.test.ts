import { readTemplate } from '../../scripts/build';
import type { CfnTemplate } from '../../scripts/cfn-yaml';
import { SPAN_LINE_FILTER_PATTERN } from '../../src/span-line';
import { loadSpec, validateTemplate } from './cfn-spec';

// The opt-in Kinesis path (KinesisStream=true): log group → stream → event source mapping → forwarder.

const template: CfnTemplate = readTemplate();
const resources = template.Resources;
const KINESIS_RESOURCES = ['SpanLineStream', 'SpanLineStreamDeliveryRole', 'TracedFunctionSpanLineStreamSubscription', 'LogSpanForwarderStreamMapping'];
const LAMBDA_SUBSCRIPTION_RESOURCES = ['TracedFunctionSpanLineSubscription', 'LogSpanForwarderInvokePermission'];

function props(id: string): Record<string, unknown> {
  const resource = resources[id];
  if (!resource) throw new Error(`template has no resource ${id}`);
  return resource.Properties ?? {};
}

/** Evaluates a condition the way CloudFormation does, for the intrinsics the template's conditions use. */
function holds(condition: string, parameters: Record<string, string>): boolean {
  const evaluate = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    const n = node as Record<string, unknown>;
    if ('Ref' in n) {
      const name = String(n.Ref);
      return name in parameters ? parameters[name] : String(template.Parameters?.[name]?.Default);
    }
    if ('Fn::Equals' in n) {
      const [a, b] = (n['Fn::Equals'] as unknown[]).map(evaluate);
      return String(a) === String(b);
    }
    if ('Fn::Not' in n) return !evaluate((n['Fn::Not'] as unknown[])[0]);
    if ('Condition' in n) return holds(String(n.Condition), parameters);
    throw new Error(`cannot evaluate ${JSON.stringify(node)}`);
  };
  return evaluate(template.Conditions?.[condition]) === true;
}
function created(parameters: Record<string, string>): string[] {
  return Object.entries(resources)
    .filter(([, r]) => r.Condition === undefined || holds(r.Condition, parameters))
    .map(([id]) => id);
}

/** Every resource id a value refers to (Ref, GetAtt, ${} in Sub), with the Fn::If conditions around the reference. */
function references(value: unknown, guards: string[] = [], found: Array<{ id: string; guards: string[] }> = []) {
  if (Array.isArray(value)) {
    for (const v of value) references(v, guards, found);
  } else if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string') found.push({ id: node.Ref, guards });
    if (Array.isArray(node['Fn::GetAtt'])) found.push({ id: String(node['Fn::GetAtt'][0]), guards });
    const sub = node['Fn::Sub'];
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) ? String(sub[0]) : undefined;
    if (text) for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.push({ id: m[1]!, guards });
    if (Array.isArray(node['Fn::If'])) {
      const [condition, whenTrue, whenFalse] = node['Fn::If'] as [string, unknown, unknown];
      references(whenTrue, [...guards, condition], found);
      references(whenFalse, guards, found);
      return found;
    }
    for (const [key, v] of Object.entries(node)) if (key !== 'Ref' && key !== 'Fn::GetAtt' && key !== 'Fn::Sub') references(v, guards, found);
  }
  return found;
}

/** `owner → resource (condition)` for every reference that would dangle when the owner exists and the resource does not. */
function unguardedReferences(t: CfnTemplate): string[] {
  const problems: string[] = [];
  const owners: Array<[string, string | undefined, unknown, unknown]> = [
    ...Object.entries(t.Resources).map(([id, r]) => [id, r.Condition, r.Properties, r.DependsOn] as [string, string | undefined, unknown, unknown]),
    ...Object.entries(t.Outputs ?? {}).map(([id, o]) => [`Outputs.${id}`, (o as { Condition?: string }).Condition, o, undefined] as [string, string | undefined, unknown, unknown]),
  ];
  for (const [owner, condition, body, dependsOn] of owners) {
    const dependencies = [dependsOn ?? []].flat().map((id) => ({ id: String(id), guards: [] as string[] }));
    for (const { id, guards } of [...references(body), ...dependencies]) {
      const needed = t.Resources[id]?.Condition;
      if (needed !== undefined && needed !== condition && !guards.includes(needed)) problems.push(`${owner} → ${id} (${needed})`);
    }
  }
  return problems;
}

describe('KinesisStream: one path or the other, never both', () => {
  test('false (the default): no stream, no role, no mapping; the Lambda subscription as before', () => {
    const ids = created({ KinesisStream: 'false' });
    for (const id of KINESIS_RESOURCES) expect(ids).not.toContain(id);
    for (const id of LAMBDA_SUBSCRIPTION_RESOURCES) expect(ids).toContain(id);
  });

  test('true: the stream, its delivery role, the subscription to the stream and the mapping; no Lambda subscription', () => {
    const ids = created({ KinesisStream: 'true' });
    for (const id of KINESIS_RESOURCES) expect(ids).toContain(id);
    for (const id of LAMBDA_SUBSCRIPTION_RESOURCES) expect(ids).not.toContain(id);
    // The forwarder, its queue and its retries for the async path stay: the same function serves both.
    expect(ids).toEqual(expect.arrayContaining(['LogSpanForwarder', 'LogSpanForwarderFailureQueue', 'LogSpanForwarderInvokeConfig']));
  });

  test('nothing refers to a conditional resource unless it exists under the same condition (or inside its Fn::If)', () => {
    expect(unguardedReferences(template)).toEqual([]);
  });

  test('the check above is not a rubber stamp: an unguarded reference to the stream is reported', () => {
    const broken = JSON.parse(JSON.stringify(template)) as CfnTemplate;
    (broken.Resources.LogSpanForwarder!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables.STREAM = { Ref: 'SpanLineStream' };
    broken.Resources.TracedFunctionSpanLineStreamSubscription!.DependsOn = 'LogSpanForwarderInvokePermission';
    expect(unguardedReferences(broken)).toEqual([
      'LogSpanForwarder → SpanLineStream (UseKinesisStream)',
      'TracedFunctionSpanLineStreamSubscription → LogSpanForwarderInvokePermission (UseLambdaSubscription)',
    ]);
  });
});

describe('the stream and how CloudWatch Logs writes to it', () => {
  test('a provisioned stream, KinesisShardCount shards (default 1), the included 24 h retention, encrypted with the AWS managed key', () => {
    expect(props('SpanLineStream')).toEqual({
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: { Ref: 'KinesisShardCount' },
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    expect(template.Parameters?.KinesisShardCount).toMatchObject({ Type: 'Number', Default: 1, MinValue: 1 });
  });

  test('the delivery role trusts CloudWatch Logs only, for this account and Region (aws:SourceArn), and may only PutRecord to this stream', () => {
    expect(props('SpanLineStreamDeliveryRole').AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*' } } },
        },
      ],
    });
    expect(props('SpanLineStreamDeliveryRole').Policies).toEqual([
      {
        PolicyName: 'put-span-line-records',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'kinesis:PutRecord', Resource: { 'Fn::GetAtt': ['SpanLineStream', 'Arn'] } }],
        },
      },
    ]);
  });

  test(`the traced log group's span lines (${SPAN_LINE_FILTER_PATTERN}) go to the stream with that role, spread over the shards`, () => {
    expect(props('TracedFunctionSpanLineStreamSubscription')).toEqual({
      LogGroupName: { Ref: 'TracedFunctionLogGroup' },
      FilterPattern: SPAN_LINE_FILTER_PATTERN,
      DestinationArn: { 'Fn::GetAtt': ['SpanLineStream', 'Arn'] },
      RoleArn: { 'Fn::GetAtt': ['SpanLineStreamDeliveryRole', 'Arn'] },
      Distribution: 'Random',
    });
  });
});

describe('the event source mapping and the forwarder', () => {
  test('partial batch responses, bisect on a thrown error, bounded retries and age, the failure queue, from the oldest record', () => {
    expect(props('LogSpanForwarderStreamMapping')).toEqual({
      EventSourceArn: { 'Fn::GetAtt': ['SpanLineStream', 'Arn'] },
      FunctionName: { Ref: 'LogSpanForwarder' },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['LogSpanForwarderFailureQueue', 'Arn'] } } },
    });
  });

  test('the forwarder may read this stream only, and only when it exists (what the mapping needs, nothing account-wide)', () => {
    const policies = props('LogSpanForwarderRole').Policies as unknown[];
    const conditional = policies.filter((p) => typeof p === 'object' && p !== null && 'Fn::If' in p) as Array<{ 'Fn::If': [string, unknown, unknown] }>;
    const reading = conditional.filter((p) => JSON.stringify(p).includes('kinesis:'));
    expect(reading).toEqual([
      {
        'Fn::If': [
          'UseKinesisStream',
          {
            PolicyName: 'read-span-line-stream',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
                  Resource: { 'Fn::GetAtt': ['SpanLineStream', 'Arn'] },
                },
              ],
            },
          },
          { Ref: 'AWS::NoValue' },
        ],
      },
    ]);
    expect(JSON.stringify(policies.filter((p) => !conditional.includes(p as never)))).not.toContain('kinesis:');
  });

  test('the stream name is an output only when the stream exists', () => {
    expect(template.Outputs?.SpanLineStreamName).toEqual({
      Condition: 'UseKinesisStream',
      Description: expect.any(String),
      Value: { Ref: 'SpanLineStream' },
    });
  });

  test('the new resource types are in the specification and checked against it: a misspelt mapping property is reported', () => {
    const spec = loadSpec();
    for (const type of ['AWS::Kinesis::Stream', 'AWS::Lambda::EventSourceMapping', 'AWS::Logs::SubscriptionFilter']) expect(spec.ResourceTypes[type]).toBeDefined();
    const broken = JSON.parse(JSON.stringify(template)) as CfnTemplate;
    broken.Resources.LogSpanForwarderStreamMapping!.Properties!.BisectBatchOnError = true;
    broken.Resources.SpanLineStream!.Properties!.ShardCount = 'one';
    const errors = validateTemplate(broken, spec).join('\n');
    expect(errors).toMatch(/LogSpanForwarderStreamMapping\.Properties\.BisectBatchOnError: not a property of AWS::Lambda::EventSourceMapping/);
    expect(errors).toMatch(/SpanLineStream\.Properties\.ShardCount: expected Integer/);
    expect(validateTemplate(template, spec)).toEqual([]);
  });
});
