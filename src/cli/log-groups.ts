import { DescribeLogGroupsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { UsageError } from './command-line';

/** A log group named on the command line. */
export interface LogGroupTarget {
  /** The log group's name, e.g. /aws/lambda/my-fn. */
  name: string;
  /** Its ARN when given as one (another account's group), without the trailing `:*`. */
  arn?: string;
}

const NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const ARN = /^arn:[\w-]+:logs:[\w-]+:\d{12}:log-group:([.\-_/#A-Za-z0-9]{1,512})(?::\*)?$/;

/**
 * Where a log group is expected, a name with a slash is a log group (`/aws/lambda/my-fn`), a name
 * without one is a Lambda function (`my-fn` → `/aws/lambda/my-fn`), and an ARN is a log group,
 * perhaps of another account.
 */
export function logGroupTarget(argument: string): LogGroupTarget {
  const arn = ARN.exec(argument);
  if (arn) return { name: arn[1], arn: argument.replace(/:\*$/, '') };
  if (!NAME.test(argument)) {
    throw new UsageError(`"${argument}" is neither a log group name, a function name nor a log group ARN`);
  }
  return { name: argument.includes('/') ? argument : `/aws/lambda/${argument}` };
}

/** The log group does not exist (in this account and region): nothing to fall back to. */
export class LogGroupNotFoundError extends Error {
  override readonly name = 'LogGroupNotFoundError';
}

/**
 * Live Tail takes log groups by ARN: looks each name up with DescribeLogGroups (which also says
 * early when a group does not exist).
 */
export async function logGroupArns(client: CloudWatchLogsClient, targets: LogGroupTarget[]): Promise<string[]> {
  const arns: string[] = [];
  for (const target of targets) {
    if (target.arn) {
      arns.push(target.arn);
      continue;
    }
    // Names sort before their extensions, so the first group with the name as prefix is the group itself.
    const page = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: target.name, limit: 1 }));
    const group = page.logGroups?.[0];
    const arn = group?.logGroupName === target.name ? (group.logGroupArn ?? group.arn?.replace(/:\*$/, '')) : undefined;
    if (!arn) throw new LogGroupNotFoundError(`no log group ${target.name} in ${await client.config.region()}`);
    arns.push(arn);
  }
  return arns;
}
