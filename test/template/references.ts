import type { CfnTemplate } from '../../scripts/cfn-yaml';
import { attributesOf, type CfnSpec } from './cfn-spec';

/** Pseudo parameters CloudFormation resolves in Ref and ${} (AWS docs: "Pseudo parameters reference"). */
export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition',
  'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
]);

/** Every Ref, Fn::GetAtt, ${…} in Fn::Sub, condition name and DependsOn that names nothing (or a missing attribute). */
export function danglingReferences(template: CfnTemplate, spec: CfnSpec): string[] {
  const problems: string[] = [];
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resources = template.Resources;
  const conditions = new Set(Object.keys(template.Conditions ?? {}));

  const checkRef = (name: string, where: string, locals: ReadonlySet<string>): void => {
    if (!parameters.has(name) && !(name in resources) && !PSEUDO_PARAMETERS.has(name) && !locals.has(name)) {
      problems.push(`${where}: Ref ${name} names no parameter, resource or pseudo parameter`);
    }
  };
  const checkGetAtt = (resource: string, attribute: string, where: string): void => {
    const target = resources[resource];
    if (!target) problems.push(`${where}: GetAtt ${resource}.${attribute}: no such resource`);
    else if (!attributesOf(spec, target.Type).includes(attribute)) {
      problems.push(`${where}: GetAtt ${resource}.${attribute}: ${target.Type} has no attribute ${attribute}`);
    }
  };
  const checkCondition = (name: unknown, where: string): void => {
    if (typeof name !== 'string' || !conditions.has(name)) problems.push(`${where}: condition ${String(name)} is not defined`);
  };

  const walk = (value: unknown, where: string, locals: ReadonlySet<string>): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${where}[${i}]`, locals));
      return;
    }
    if (!value || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    for (const [key, inner] of Object.entries(object)) {
      if (key === 'Ref' && typeof inner === 'string') checkRef(inner, where, locals);
      else if (key === 'Fn::GetAtt') {
        if (Array.isArray(inner) && typeof inner[0] === 'string' && typeof inner[1] === 'string') checkGetAtt(inner[0], inner[1], where);
        else problems.push(`${where}: malformed Fn::GetAtt`);
      } else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(inner) ? inner : [inner, {}];
        const own = new Set([...locals, ...Object.keys((variables as object) ?? {})]);
        if (typeof text !== 'string') problems.push(`${where}: Fn::Sub needs a string`);
        else for (const name of subVariables(text)) {
          const dot = name.indexOf('.');
          if (dot > 0 && !PSEUDO_PARAMETERS.has(name) && !own.has(name)) checkGetAtt(name.slice(0, dot), name.slice(dot + 1), where);
          else checkRef(name, where, own);
        }
        walk(variables, `${where}.Fn::Sub`, locals);
        continue;
      } else if (key === 'Fn::If') {
        if (Array.isArray(inner)) checkCondition(inner[0], where);
        walk(Array.isArray(inner) ? inner.slice(1) : inner, `${where}.Fn::If`, locals);
        continue;
      } else if (key === 'Condition' && Object.keys(object).length === 1) {
        checkCondition(inner, where); // { Condition: X } inside Fn::And / Fn::Or / Fn::Not
      }
      walk(inner, `${where}.${key}`, locals);
    }
  };

  for (const [name, condition] of Object.entries(template.Conditions ?? {})) walk(condition, `Conditions.${name}`, new Set());
  walk(template.Globals, 'Globals', new Set());
  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}`;
    if (resource.Condition !== undefined) checkCondition(resource.Condition, `${where}.Condition`);
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    for (const dependency of dependsOn) {
      if (!(dependency in resources)) problems.push(`${where}.DependsOn: no resource ${dependency}`);
    }
    walk(resource.Properties, `${where}.Properties`, new Set());
  }
  walk(template.Outputs, 'Outputs', new Set());
  return problems;
}

/** The variable names in an Fn::Sub string: `${Name}` and `${Res.Attr}`, not the literal `${!Name}`. */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((m) => m[1]!.trim());
}
