import { parseCfnYaml } from '../../scripts/cfn-yaml';

/** Wraps one property value in the smallest template the parser accepts. */
function parseValue(yamlValue: string): unknown {
  const template = parseCfnYaml(`Resources:\n  R:\n    Type: AWS::SQS::Queue\n    Properties:\n      V: ${yamlValue}\n`);
  return template.Resources.R!.Properties!.V;
}

describe('parseCfnYaml: CloudFormation short-form tags', () => {
  test.each([
    ['!Ref Bucket', { Ref: 'Bucket' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!GetAtt Queue.Arn', { 'Fn::GetAtt': ['Queue', 'Arn'] }],
    // Only the first dot separates resource and attribute.
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!GetAtt [Queue, Arn]', { 'Fn::GetAtt': ['Queue', 'Arn'] }],
    ['!Sub "arn:${AWS::Partition}:s3:::${Bucket}"', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}' }],
    ['!Sub ["${A}-x", {A: !Ref B}]', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] }],
    ['!Join [":", [a, !Ref B]]', { 'Fn::Join': [':', ['a', { Ref: 'B' }]] }],
    ['!If [IsProd, 5, !Ref AWS::NoValue]', { 'Fn::If': ['IsProd', 5, { Ref: 'AWS::NoValue' }] }],
    ['!Equals [!Ref P, ""]', { 'Fn::Equals': [{ Ref: 'P' }, ''] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split [",", !Ref L]', { 'Fn::Split': [',', { Ref: 'L' }] }],
    ['!FindInMap [M, !Ref AWS::Region, K]', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'K'] }],
    ['!ImportValue shared-vpc', { 'Fn::ImportValue': 'shared-vpc' }],
    ['!ImportValue {"Fn::Sub": "${S}-vpc"}', { 'Fn::ImportValue': { 'Fn::Sub': '${S}-vpc' } }],
    ['!Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Not [!Condition IsProd]', { 'Fn::Not': [{ Condition: 'IsProd' }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Equals [a, b], !Condition C]', { 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { Condition: 'C' }] }],
  ])('%s', (yamlValue, expected) => {
    expect(parseValue(yamlValue)).toEqual(expected);
  });

  test('block sequences and nested tags keep their structure', () => {
    const template = parseCfnYaml(
      [
        'Resources:',
        '  R:',
        '    Type: AWS::SQS::Queue',
        '    Properties:',
        '      V: !If',
        '        - HasKey',
        '        - Effect: Allow',
        '          Resource: !Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}',
        '        - !Ref AWS::NoValue',
      ].join('\n'),
    );
    expect(template.Resources.R!.Properties!.V).toEqual({
      'Fn::If': [
        'HasKey',
        { Effect: 'Allow', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}' } },
        { Ref: 'AWS::NoValue' },
      ],
    });
  });

  test('an unknown tag is an error, not a silently mis-read value', () => {
    expect(() => parseValue('!Reff Bucket')).toThrow(/Unresolved tag: !Reff/);
  });

  test('a duplicate key is an error (YAML would otherwise keep the last one)', () => {
    expect(() => parseCfnYaml('Resources:\n  R: {Type: A}\n  R: {Type: B}\n')).toThrow(/unique/i);
  });

  test('a document without Resources is rejected', () => {
    expect(() => parseCfnYaml('Parameters: {}\n')).toThrow(/no Resources/);
  });
});
