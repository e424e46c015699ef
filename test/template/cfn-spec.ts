import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INTRINSIC_KEYS, type CfnTemplate } from '../../scripts/cfn-yaml';

/**
 * Checks a parsed template against the published CloudFormation resource specification as shipped
 * by @aws-cdk/cfnspec (spec/specification.json). That file also carries the SAM specification for
 * AWS::Serverless::* (its `Types` unions and `Inclusive*` list rules come from there), so one
 * validator covers both. Returns every problem found, as `path: message` strings.
 */

export const SPEC_PATH = path.join(path.dirname(require.resolve('@aws-cdk/cfnspec/package.json')), 'spec', 'specification.json');

type PropertySpec = {
  Required?: boolean;
  Type?: string;
  ItemType?: string;
  PrimitiveType?: string;
  PrimitiveItemType?: string;
  Types?: string[];
  PrimitiveTypes?: string[];
  InclusiveItemTypes?: string[];
  InclusivePrimitiveItemTypes?: string[];
  /** Internal: the item rule of a SAM `Inclusive*` list (items may be any of several types). */
  ItemSpec?: PropertySpec;
};
type TypeSpec = { Properties?: Record<string, PropertySpec>; Attributes?: Record<string, unknown> } & PropertySpec;
export type CfnSpec = {
  ResourceSpecificationVersion: string;
  ResourceTypes: Record<string, TypeSpec>;
  PropertyTypes: Record<string, TypeSpec>;
};

/**
 * What the template uses that is newer than @aws-cdk/cfnspec's last specification (117.0.0, early
 * 2023), in the same format: Lambda's LoggingConfig (Nov 2023) and AWS::Logs::AccountPolicy. The
 * shapes are the CloudFormation registry schemas' (which cfn-lint ships and `npm run
 * lint:template` checks against in full). Only ADDITIONS: a test fails once the shipped spec has
 * any of them, so this list cannot silently shadow a newer official definition.
 */
const LOGGING_CONFIG: TypeSpec = {
  Properties: {
    ApplicationLogLevel: { PrimitiveType: 'String' },
    LogFormat: { PrimitiveType: 'String' },
    LogGroup: { PrimitiveType: 'String' },
    SystemLogLevel: { PrimitiveType: 'String' },
  },
};
export const SPEC_ADDITIONS = {
  resourceProperties: {
    'AWS::Lambda::Function': { LoggingConfig: { Type: 'LoggingConfig' } },
    // SAM passes LoggingConfig through to AWS::Lambda::Function unchanged.
    'AWS::Serverless::Function': { LoggingConfig: { Type: 'LoggingConfig' } },
  } as Record<string, Record<string, PropertySpec>>,
  propertyTypes: {
    'AWS::Lambda::Function.LoggingConfig': LOGGING_CONFIG,
    'AWS::Serverless::Function.LoggingConfig': { ...LOGGING_CONFIG },
  } as Record<string, TypeSpec>,
  resourceTypes: {
    'AWS::Logs::AccountPolicy': {
      Attributes: { AccountId: {} },
      Properties: {
        PolicyDocument: { PrimitiveType: 'String', Required: true },
        PolicyName: { PrimitiveType: 'String', Required: true },
        PolicyType: { PrimitiveType: 'String', Required: true },
        Scope: { PrimitiveType: 'String' },
        SelectionCriteria: { PrimitiveType: 'String' },
      },
    },
  } as Record<string, TypeSpec>,
};

/** The shipped specification alone, without SPEC_ADDITIONS. */
export function loadShippedSpec(): CfnSpec {
  return JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as CfnSpec;
}

let cached: CfnSpec | undefined;
export function loadSpec(): CfnSpec {
  if (cached) return cached;
  const spec = loadShippedSpec();
  for (const [type, properties] of Object.entries(SPEC_ADDITIONS.resourceProperties)) {
    const resource = spec.ResourceTypes[type]!;
    resource.Properties = { ...properties, ...resource.Properties };
  }
  spec.PropertyTypes = { ...SPEC_ADDITIONS.propertyTypes, ...spec.PropertyTypes };
  spec.ResourceTypes = { ...SPEC_ADDITIONS.resourceTypes, ...spec.ResourceTypes };
  cached = spec;
  return cached;
}

/** Attributes a resource type exposes to Fn::GetAtt. SAM resources take their generated resource's. */
export function attributesOf(spec: CfnSpec, type: string): string[] {
  const generated: Record<string, string> = {
    'AWS::Serverless::Function': 'AWS::Lambda::Function',
    'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
    'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  };
  return Object.keys(spec.ResourceTypes[generated[type] ?? type]?.Attributes ?? {});
}

const RESOURCE_KEYS = new Set([
  'Type', 'Properties', 'DependsOn', 'Metadata', 'Condition',
  'DeletionPolicy', 'UpdateReplacePolicy', 'CreationPolicy', 'UpdatePolicy',
]);

export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSIC_KEYS.has(keys[0]!) && keys[0] !== 'Condition';
}

export function validateTemplate(template: CfnTemplate, spec: CfnSpec = loadSpec()): string[] {
  const errors: string[] = [];
  const globals = template.Globals?.Function ?? {};
  const functionSpec = spec.ResourceTypes['AWS::Serverless::Function']!;
  for (const key of Object.keys(globals)) {
    if (!functionSpec.Properties?.[key]) errors.push(`Globals.Function.${key}: not a property of AWS::Serverless::Function`);
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    const where = `Resources.${id}`;
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) errors.push(`${where}.${key}: not a resource attribute`);
    }
    const typeSpec = spec.ResourceTypes[resource.Type];
    if (!typeSpec) {
      errors.push(`${where}: unknown resource type ${resource.Type}`);
      continue;
    }
    // SAM merges Globals into every function before translating it.
    const properties = resource.Type === 'AWS::Serverless::Function' ? { ...globals, ...resource.Properties } : resource.Properties ?? {};
    checkObject(spec, resource.Type, typeSpec, properties, `${where}.Properties`, errors);
  }
  return errors;
}

function checkObject(spec: CfnSpec, resourceType: string, typeSpec: TypeSpec, value: Record<string, unknown>, where: string, errors: string[]): void {
  const props = typeSpec.Properties ?? {};
  for (const [name, propertyValue] of Object.entries(value)) {
    const propertySpec = props[name];
    if (!propertySpec) {
      errors.push(`${where}.${name}: not a property of ${typeName(resourceType, typeSpec, spec)}`);
      continue;
    }
    // SAM event sources: the `Properties` union is decided by the sibling `Type` (HttpApi → HttpApiEvent).
    if (propertySpec.Types && typeof value.Type === 'string' && propertySpec.Types.includes(`${value.Type}Event`)) {
      checkValue(spec, resourceType, { Type: `${value.Type}Event` }, propertyValue, `${where}.${name}`, errors);
      continue;
    }
    checkValue(spec, resourceType, propertySpec, propertyValue, `${where}.${name}`, errors);
  }
  for (const [name, propertySpec] of Object.entries(props)) {
    if (propertySpec.Required && !(name in value)) errors.push(`${where}.${name}: required property missing`);
  }
}

function typeName(resourceType: string, typeSpec: TypeSpec, spec: CfnSpec): string {
  const found = Object.entries(spec.PropertyTypes).find(([, t]) => t === typeSpec);
  return found ? found[0] : resourceType;
}

function lookupType(spec: CfnSpec, resourceType: string, name: string): TypeSpec | undefined {
  return spec.PropertyTypes[`${resourceType}.${name}`] ?? spec.PropertyTypes[name];
}

function checkValue(spec: CfnSpec, resourceType: string, propertySpec: PropertySpec, value: unknown, where: string, errors: string[]): void {
  if (isIntrinsic(value)) {
    // Fn::If picks one of two values: both must be valid (AWS::NoValue removes the property).
    const branches = value['Fn::If'];
    if (Array.isArray(branches)) {
      for (const branch of branches.slice(1)) {
        if (!isNoValue(branch)) checkValue(spec, resourceType, propertySpec, branch, where, errors);
      }
    }
    return; // any other intrinsic is resolved by CloudFormation; its references are checked elsewhere
  }

  const alternatives = candidateSpecs(propertySpec);
  if (alternatives.length > 1) {
    const attempts = alternatives.map((alternative) => {
      const found: string[] = [];
      checkValue(spec, resourceType, alternative, value, where, found);
      return found;
    });
    if (!attempts.some((found) => found.length === 0)) {
      errors.push(`${where}: matches none of ${describe(propertySpec)} (${attempts.flat().join('; ')})`);
    }
    return;
  }

  if (propertySpec.PrimitiveType) {
    if (!primitiveOk(propertySpec.PrimitiveType, value)) errors.push(`${where}: expected ${propertySpec.PrimitiveType}, got ${JSON.stringify(value)}`);
    return;
  }
  if (propertySpec.Type === 'List' || propertySpec.Type === 'Map') {
    const isList = propertySpec.Type === 'List';
    if (isList ? !Array.isArray(value) : !isPlainObject(value)) {
      errors.push(`${where}: expected a ${propertySpec.Type}`);
      return;
    }
    const item: PropertySpec = propertySpec.ItemSpec ?? (propertySpec.ItemType ? { Type: propertySpec.ItemType } : { PrimitiveType: propertySpec.PrimitiveItemType ?? 'Json' });
    const entries = isList ? (value as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(value as object);
    for (const [key, itemValue] of entries) {
      if (!isNoValue(itemValue)) checkValue(spec, resourceType, item, itemValue, `${where}[${key}]`, errors);
    }
    return;
  }
  if (propertySpec.Type) {
    const nested = lookupType(spec, resourceType, propertySpec.Type);
    if (!nested) {
      errors.push(`${where}: the specification has no property type ${propertySpec.Type}`);
      return;
    }
    if (nested.PrimitiveType || !nested.Properties) return; // a named primitive or free-form type
    if (!isPlainObject(value)) {
      errors.push(`${where}: expected a ${propertySpec.Type} object`);
      return;
    }
    checkObject(spec, resourceType, nested, value, where, errors);
  }
}

/** Splits SAM's union properties (Types, PrimitiveTypes, Inclusive*) into single-type specs. */
function candidateSpecs(propertySpec: PropertySpec): PropertySpec[] {
  const candidates: PropertySpec[] = [];
  for (const primitive of propertySpec.PrimitiveTypes ?? []) candidates.push({ PrimitiveType: primitive });
  for (const type of propertySpec.Types ?? []) candidates.push({ Type: type });
  if (propertySpec.InclusiveItemTypes || propertySpec.InclusivePrimitiveItemTypes) {
    const itemSpec: PropertySpec = { Types: propertySpec.InclusiveItemTypes, PrimitiveTypes: propertySpec.InclusivePrimitiveItemTypes };
    candidates.push({ Type: 'List', ItemSpec: itemSpec });
  }
  if (candidates.length === 0) return [propertySpec];
  if (propertySpec.PrimitiveType || propertySpec.Type) candidates.push({ ...propertySpec, Types: undefined, PrimitiveTypes: undefined });
  return candidates;
}

function describe(propertySpec: PropertySpec): string {
  return [...(propertySpec.PrimitiveTypes ?? []), ...(propertySpec.Types ?? []), ...(propertySpec.InclusiveItemTypes ?? []).map((t) => `List<${t}>`)].join(' | ');
}

function primitiveOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'String':
    case 'Timestamp':
      return typeof value === 'string' || typeof value === 'number'; // CloudFormation stringifies numbers
    case 'Integer':
    case 'Long':
      return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value));
    case 'Double':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
    case 'Boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'Json':
      return typeof value === 'object' && value !== null;
    default:
      return true;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNoValue(value: unknown): boolean {
  return isPlainObject(value) && value.Ref === 'AWS::NoValue';
}
