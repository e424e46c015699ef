import { CloudWatchLogsClient, type CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs';

export interface AwsTarget {
  /** Else the SDK's chain: AWS_REGION, the profile's region. */
  region?: string;
  /** Else AWS_PROFILE or the default profile. */
  profile?: string;
}

/** Attempts per call, the first included, before a throttled or failing call gives up. */
export const MAX_ATTEMPTS = 10;

/**
 * The CLIs' CloudWatch Logs client. Throttling (FilterLogEvents allows a few calls per second per
 * account) is retried by the SDK's own strategy: `adaptive` adds client-side rate limiting to the
 * standard exponential backoff with jitter, so a long replay slows down instead of failing.
 */
export function createCloudWatchLogsClient(target: AwsTarget = {}, overrides: CloudWatchLogsClientConfig = {}): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    ...overrides,
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'adaptive',
  });
}
