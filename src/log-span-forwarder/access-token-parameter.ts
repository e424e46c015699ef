import type { SSMClient } from '@aws-sdk/client-ssm';

/**
 * Reads the LightStep access token from an SSM SecureString at cold start, so the token never
 * sits in the template, its outputs or the function's environment. The SDK is loaded only on
 * this path (it ships with the Lambda Node runtime and stays out of the bundle).
 */
export async function fetchAccessTokenParameter(name: string, client?: SSMClient): Promise<string> {
  const { GetParameterCommand, SSMClient: Client } = await import('@aws-sdk/client-ssm');
  const ssm = client ?? new Client({});
  const answer = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const value = answer.Parameter?.Value;
  if (value === undefined || value === '') throw new Error(`SSM parameter ${name} has no value`);
  return value;
}
