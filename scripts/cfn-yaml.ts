import { parseDocument, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Parses a CloudFormation/SAM YAML template, turning the short-form intrinsic tags (`!Ref x`,
 * `!GetAtt [a, b]`, `!Sub …`) into the long JSON form (`{ "Ref": "x" }`, `{ "Fn::GetAtt": [...] }`)
 * that CloudFormation itself sees. Shared by scripts/build.ts (which reads BuildProperties) and the
 * template tests, so both read the template exactly the same way.
 */

/** Short tag → long key. `Ref` and `Condition` are bare keys; every other intrinsic is `Fn::X`. */
const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Cidr: 'Fn::Cidr',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
  Transform: 'Fn::Transform',
};

export const INTRINSIC_KEYS: ReadonlySet<string> = new Set(Object.values(SHORT_FORMS));

function scalarTag(name: string, key: string): ScalarTag {
  return {
    tag: `!${name}`,
    // `!GetAtt Res.Attr` is the one scalar form with structure: the first dot splits resource from
    // attribute (attribute names may contain dots themselves, e.g. Endpoint.Address).
    resolve:
      name === 'GetAtt'
        ? (value: string) => {
            const dot = value.indexOf('.');
            return { [key]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
          }
        : (value: string) => ({ [key]: value }),
  };
}

function collectionTag(name: string, key: string, collection: 'seq' | 'map'): CollectionTag {
  return {
    tag: `!${name}`,
    collection,
    resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [key]: value.toJSON() }),
  } as CollectionTag;
}

export const CFN_TAGS = Object.entries(SHORT_FORMS).flatMap(([name, key]) => [
  scalarTag(name, key),
  collectionTag(name, key, 'seq'),
  collectionTag(name, key, 'map'),
]);

/** A parsed template: plain JSON values, intrinsics in long form. */
export type CfnTemplate = {
  AWSTemplateFormatVersion?: string;
  Transform?: string | string[];
  Description?: string;
  Parameters?: Record<string, CfnParameter>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Globals?: Record<string, Record<string, unknown>>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Export?: unknown }>;
};
export type CfnParameter = { Type: string; Default?: unknown; [key: string]: unknown };
export type CfnResource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  [key: string]: unknown;
};

/** Parses template text; YAML errors and unknown tags throw (a silently mis-read template is worse). */
export function parseCfnYaml(text: string): CfnTemplate {
  const parsed = parseDocument(text, { customTags: CFN_TAGS, strict: true, prettyErrors: true, uniqueKeys: true });
  const problems = [...parsed.errors, ...parsed.warnings];
  if (problems.length > 0) throw new Error(`template YAML: ${problems.map((p) => p.message).join('; ')}`);
  const doc: unknown = parsed.toJS({ maxAliasCount: 100 });
  if (!doc || typeof doc !== 'object' || typeof (doc as CfnTemplate).Resources !== 'object') {
    throw new Error('not a CloudFormation template: no Resources section');
  }
  return doc as CfnTemplate;
}
