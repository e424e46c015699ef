import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, readTemplate } from '../../scripts/build';

// samconfig.toml is read by the SAM CLI only; these checks keep it in step with template.yaml.

const samconfig = readFileSync(path.join(PROJECT_ROOT, 'samconfig.toml'), 'utf8');

/** The string value of `key = "…"` (TOML basic string, escaped quotes allowed). */
function tomlString(key: string): string | undefined {
  const match = new RegExp(`^${key}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'm').exec(samconfig);
  return match?.[1]?.replace(/\\"/g, '"');
}

/** `Name="value" Other="value"` → entries (the SAM CLI's parameter_overrides format). */
function overrides(text: string): Array<[string, string]> {
  return [...text.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]);
}

describe('samconfig.toml', () => {
  test('deploys with a change set to confirm, a managed artifact bucket and CAPABILITY_IAM', () => {
    expect(samconfig).toMatch(/^version = 0\.1$/m);
    expect(tomlString('stack_name')).toMatch(/^[A-Za-z][A-Za-z0-9-]*$/);
    expect(tomlString('region')).toBe('us-east-1');
    // Roles are unnamed, so CAPABILITY_IAM suffices; asking for NAMED_IAM would be more than needed.
    expect(tomlString('capabilities')).toBe('CAPABILITY_IAM');
    expect(samconfig).toMatch(/^confirm_changeset = true$/m);
    expect(samconfig).toMatch(/^resolve_s3 = true$/m);
  });

  test('every parameter override names a template parameter and satisfies its constraints', () => {
    const parameters = readTemplate().Parameters ?? {};
    const entries = overrides(tomlString('parameter_overrides') ?? '');
    // Optional parameters whose default is empty (the KMS key, the OTLP endpoint and headers) are
    // left out: an empty override says nothing the default does not.
    expect(entries.map(([name]) => name).sort()).toEqual(Object.keys(parameters).filter((p) => parameters[p]!.Default !== '').sort());
    for (const [name, value] of entries) {
      const parameter = parameters[name]!;
      if (parameter.AllowedValues) expect((parameter.AllowedValues as unknown[]).map(String)).toContain(value);
      if (parameter.AllowedPattern) expect(value).toMatch(new RegExp(String(parameter.AllowedPattern)));
      if (parameter.Type === 'Number') expect(Number.isFinite(Number(value))).toBe(true);
      // The overrides restate the template defaults: deploying with them changes nothing.
      expect({ name, value }).toEqual({ name, value: String(parameter.Default) });
    }
  });

  test('`sam logs` follows a function that exists in the template', () => {
    const name = tomlString('name');
    expect(readTemplate().Resources[name ?? '']?.Type).toBe('AWS::Serverless::Function');
  });

  test('holds no access token, only the name of the parameter that does', () => {
    expect(samconfig).not.toMatch(/LIGHTSTEP_ACCESS_TOKEN\s*=|LightStepAccessToken="(?!\/)/);
  });
});
