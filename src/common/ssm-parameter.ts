import type { SSMClient } from '@aws-sdk/client-ssm';

/**
 * Reads an SSM SecureString (a token, exporter headers) at cold start, so the secret never sits
 * in the template, its outputs or the function's environment. The SDK is loaded only on this
 * path (it ships with the Lambda Node runtime and stays out of the bundles).
 */
export async function fetchSecureString(name: string, client?: SSMClient): Promise<string> {
  const { GetParameterCommand, SSMClient: Client } = await import('@aws-sdk/client-ssm');
  const ssm = client ?? new Client({});
  const answer = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const value = answer.Parameter?.Value;
  if (value === undefined || value === '') throw new Error(`SSM parameter ${name} has no value`);
  return value;
}

/** A fetch failure in words that name the parameter and the SDK's reason, never a value. */
export function describeFetchFailure(variable: string, parameter: string, error: unknown): string {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  return `${variable}: could not read SSM parameter ${parameter}: ${name}: ${message}`;
}
