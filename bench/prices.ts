/**
 * Published AWS prices the dollars scenario uses (US East, N. Virginia, on-demand, USD), each
 * with where it was read and when. Edit here when AWS changes them; nothing else in the bench
 * holds a price. "confirmed" says how the figure was checked.
 */

export interface Price {
  usd: number;
  unit: string;
  source: string;
  read: string;
  confirmed: string;
}

export interface Tier {
  /** Upper bound of the tier in GB per month (Infinity for the last). */
  upToGB: number;
  usdPerGB: number;
}

export const PRICES = {
  lambdaDurationArm64: {
    usd: 0.0000133334,
    unit: 'per GB-second (first 7.5 billion GB-s per month)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    read: '2026-12-01',
    // The pricing page renders its rate tables client-side; the figure was read from secondary
    // copies of the table (cloudchipr.com/blog/aws-lambda-pricing, an AWS-docs-derived cost guide).
    confirmed: 'secondary sources quoting the AWS table; not read verbatim from the AWS page',
  },
  lambdaDurationX86: {
    usd: 0.0000166667,
    unit: 'per GB-second (first 6 billion GB-s per month)',
    source: 'https://aws.amazon.com/lambda/pricing/ ; https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html',
    read: '2026-12-01',
    confirmed: 'AWS whitepaper "How AWS Pricing Works" ($0.00001667 per GB-second)',
  },
  lambdaRequests: {
    usd: 0.2,
    unit: 'per million requests',
    source: 'https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html',
    read: '2026-12-01',
    confirmed: 'AWS whitepaper "How AWS Pricing Works" ($0.20 per 1 million requests)',
  },
  /**
   * INIT: since August 1, 2025 the INIT phase of on-demand, ZIP-packaged, managed-runtime
   * functions is billed like the INVOKE phase (same GB-s price). No price of its own.
   */
  initBilledSince: {
    usd: 0,
    unit: 'INIT duration billed at the duration price since 2025-08-01',
    source: 'https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/',
    read: '2026-12-01',
    confirmed: 'AWS Compute Blog post, as quoted by several copies (the date and scope: on-demand, ZIP, managed runtimes)',
  },
} satisfies Record<string, Price>;

/**
 * CloudWatch Logs ingestion of Lambda logs (vended logs, Standard class), tiered since May 1,
 * 2025. The first tier is the old flat rate. The lower tiers are AWS's announced $0.25 / $0.10 /
 * $0.05; only their sum could be checked: Duckbill's worked example (60 TB a month falls from
 * $30,000 to $12,500) is exactly 10 TB × $0.50 + 20 TB × $0.25 + 20 TB × $0.10 + 10 TB × $0.05.
 */
export const LAMBDA_LOG_INGESTION: { tiers: Tier[]; source: string; read: string; confirmed: string } = {
  tiers: [
    { upToGB: 10 * 1024, usdPerGB: 0.5 },
    { upToGB: 30 * 1024, usdPerGB: 0.25 },
    { upToGB: 50 * 1024, usdPerGB: 0.1 },
    { upToGB: Infinity, usdPerGB: 0.05 },
  ],
  source: 'https://aws.amazon.com/cloudwatch/pricing/ (Vended Logs, Lambda) ; https://www.duckbillgroup.com/?p=9080',
  read: '2026-12-01',
  confirmed: 'first tier ($0.50/GB) stated by several sources; lower tiers consistent with Duckbill’s worked example, not read on the AWS page',
};

/** Lambda's CPU model: "at 1,769 MB, a function has the equivalent of one vCPU", proportional below. */
export const ONE_VCPU_MB = 1769;
export const CPU_MODEL_SOURCE = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html (read 2026-12-01)';

/** The share of a cold start's INIT in a million invocations: AWS: "INITs typically occur in under 1% of invocations". */
export const COLD_START_RATE_SOURCE = 'AWS Compute Blog, INIT billing post (read 2026-12-01): cold starts "typically occur in under 1% of invocations"';

/** Marginal $ per GB ingested for an account already ingesting `monthlyGB` of Lambda logs. */
export function ingestionUsdPerGB(monthlyGB = 0): number {
  return LAMBDA_LOG_INGESTION.tiers.find((tier) => monthlyGB < tier.upToGB)!.usdPerGB;
}
