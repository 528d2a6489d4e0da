/**
 * Every unit price the cost model uses, in one place, each with its unit, the region it was read
 * for and where it comes from. List prices, on demand, before discounts or savings plans. When a
 * price changes, change it here and the cost table (docs/capacity.md, `npm run capacity`) follows;
 * the test of that doc then shows the difference.
 *
 * The stacks run in eu-central-1 (dev) and eu-west-1 (prod); the public sources quote us-east-1,
 * so that is the reference region of every figure below, and each `region` note says how the EU
 * regions differ where a source said so.
 */

/** What every price and allowance states besides its figure: the unit, the region it was read for, and where it comes from. */
export interface PriceProvenance {
    readonly unit: string;
    readonly region: string;
    readonly source: string;
}

/** A unit price with its provenance. */
export interface UnitPrice extends PriceProvenance {
    /** US dollars per `per` units (per one unit when absent). */
    readonly value: number;
    /** How many units `value` buys (1,000 requests, 100,000 events...). */
    readonly per?: number;
}

/** A free allowance that is subtracted before a price applies. */
export interface FreeAllowance extends PriceProvenance {
    readonly value: number;
}

/** One step of a tiered price: `usd` per unit for usage up to `upTo` units (cumulative). */
export interface PriceTier {
    readonly upTo: number;
    readonly value: number;
}

export interface TieredPrice extends PriceProvenance {
    readonly tiers: readonly PriceTier[];
}

const usEast1 = "us-east-1 list price";

export const prices = {
    s3StandardGbMonth: {
        value: 0.023,
        unit: "USD per GB-month, S3 Standard, first 50 TB",
        region: `${usEast1}; eu-west-1 lists the same, eu-central-1 about 6% more`,
        source: "aws.amazon.com/s3/pricing (Standard, first 50 TB/month); also quoted by gist EverettBerry/a37438006529a55f42da6fdbc44a505c",
    },
    s3PutPer1000: {
        value: 0.005,
        per: 1000,
        unit: "USD per 1,000 PUT, COPY, POST or LIST requests (S3 Standard)",
        region: usEast1,
        source: "aws.amazon.com/s3/pricing (requests & data retrievals); c3x.dev/blog/s3-request-fees-explained (Tier 1 $0.005 per 1,000)",
    },
    s3GetPer1000: {
        value: 0.0004,
        per: 1000,
        unit: "USD per 1,000 GET, SELECT and other requests (S3 Standard)",
        region: usEast1,
        source: "aws.amazon.com/s3/pricing (requests & data retrievals); c3x.dev/blog/s3-request-fees-explained (Tier 2 $0.0004 per 1,000)",
    },
    kmsKeyMonth: {
        value: 1.0,
        unit: "USD per customer managed KMS key per month",
        region: "same in every commercial region",
        source: "aws.amazon.com/kms/pricing (key storage: each AWS KMS key costs $1/month)",
    },
    kmsRequestsPer10000: {
        value: 0.03,
        per: 10_000,
        unit: "USD per 10,000 symmetric KMS requests",
        region: usEast1,
        source: "aws.amazon.com/kms/pricing (key usage); wring.co/blog/aws-kms-pricing-guide ($0.03 per 10,000 after the free tier)",
    },
    cloudTrailDataEventsPer100000: {
        value: 0.1,
        per: 100_000,
        unit: "USD per 100,000 data events delivered to a trail",
        region: "same in every commercial region",
        source: "aws.amazon.com/cloudtrail/pricing (data events are charged at $0.10 per 100,000 events)",
    },
    cloudTrailManagementFirstCopy: {
        value: 0,
        per: 100_000,
        unit: "USD per 100,000 management events, first copy in a region",
        region: "every region",
        source: "aws.amazon.com/cloudtrail/pricing (the first copy of management events is delivered free of charge)",
    },
    clientVpnAssociationHour: {
        value: 0.1,
        unit: "USD per Client VPN endpoint association (subnet) per hour",
        region: `${usEast1}; some regions list $0.15 (ap-northeast-1)`,
        source: "aws.amazon.com/vpn/pricing (AWS Client VPN endpoint association); cross-checked in public cost tables ($0.10/h per subnet, $0.15 in Tokyo)",
    },
    clientVpnConnectionHour: {
        value: 0.05,
        unit: "USD per active Client VPN connection per hour",
        region: "same in the regions sources quote (us-east-1, ap-northeast-1)",
        source: "aws.amazon.com/vpn/pricing (AWS Client VPN connection $0.05 per hour)",
    },
    mskStorageGbMonth: {
        value: 0.1,
        unit: "USD per GB-month of MSK broker storage (Standard brokers)",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (broker storage $0.10 per GB-month; no charge for replication traffic between brokers)",
    },
    mskServerlessClusterHour: {
        value: 0.75,
        unit: "USD per MSK Serverless cluster-hour",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (MSK Serverless: cluster-hours $0.75)",
    },
    mskServerlessPartitionHour: {
        value: 0.0015,
        unit: "USD per MSK Serverless partition-hour",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (MSK Serverless: partition-hours $0.0015)",
    },
    mskServerlessDataInGb: {
        value: 0.1,
        unit: "USD per GB written to MSK Serverless",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (MSK Serverless: data in $0.10 per GB)",
    },
    mskServerlessDataOutGb: {
        value: 0.05,
        unit: "USD per GB read from MSK Serverless",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (MSK Serverless: data out $0.05 per GB)",
    },
    mskServerlessStorageGbMonth: {
        value: 0.1,
        unit: "USD per GB-month stored in MSK Serverless",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (MSK Serverless: storage $0.10 per GB-month)",
    },
    ec2CrossZoneTransferGb: {
        value: 0.02,
        unit: "USD per GB sent between availability zones of a region ($0.01 out plus $0.01 in)",
        region: usEast1,
        source: "aws.amazon.com/ec2/pricing/on-demand (data transfer within the same region across availability zones: $0.01/GB in each direction)",
    },
    ampStorageGbMonth: {
        value: 0.03,
        unit: "USD per GB-month of metric samples and metadata stored",
        region: usEast1,
        source: "aws.amazon.com/prometheus/pricing (metrics storage $0.03 per GB-month)",
    },
    ampQuerySamplesPerBillion: {
        value: 0.1,
        per: 1e9,
        unit: "USD per billion query samples processed (QSP)",
        region: usEast1,
        source: "aws.amazon.com/prometheus/pricing (query samples processed $0.10 per billion)",
    },
    cloudWatchLogsIngestGb: {
        value: 0.5,
        unit: "USD per GB ingested, Standard log class",
        region: `${usEast1}; ap-northeast-1 lists $0.76`,
        source: "aws.amazon.com/cloudwatch/pricing (logs, Standard: collect $0.50 per GB); c3x.dev/blog/cloudwatch-logs-cost-optimization",
    },
    cloudWatchLogsStorageGbMonth: {
        value: 0.03,
        unit: "USD per GB-month archived (compressed), Standard log class",
        region: usEast1,
        source: "aws.amazon.com/cloudwatch/pricing (logs, store $0.03 per GB); c3x.dev/blog/cloudwatch-logs-cost-optimization",
    },
    ebsGp3GbMonth: {
        value: 0.08,
        unit: "USD per GB-month of gp3 volume",
        region: usEast1,
        source: "aws.amazon.com/ebs/pricing (gp3 $0.08/GB-month, 3,000 IOPS and 125 MB/s included)",
    },
    ec2M7gLargeHour: {
        value: 0.0816,
        unit: "USD per hour of an m7g.large node (2 vCPU, 8 GiB), used to price the cluster capacity platform pods reserve",
        region: `${usEast1}, Linux on demand`,
        source: "aws.amazon.com/ec2/pricing/on-demand (m7g.large $0.0816/h); the same figure in several public cost tables",
    },
    xrayTracesRecordedPerMillion: {
        value: 5.0,
        per: 1e6,
        unit: "USD per million traces recorded",
        region: "same in every commercial region",
        source: "aws.amazon.com/xray/pricing ($5.00 per 1 million traces recorded; a trace is one request whatever its span count)",
    },
    xrayTracesRetrievedPerMillion: {
        value: 0.5,
        per: 1e6,
        unit: "USD per million traces retrieved or scanned",
        region: "same in every commercial region",
        source: "aws.amazon.com/xray/pricing ($0.50 per 1 million traces retrieved or scanned)",
    },
    grafanaCloudTracesProcessedGb: {
        value: 0.05,
        unit: "USD per GB processed (received), Grafana Cloud Traces",
        region: "global (SaaS)",
        source: "grafana.com/pricing/#traces and its traces pricing page grafana.com/docs/grafana-cloud/platform/pricing-and-usage/traces (GBs processed; $0.05 per GB in the logs, traces and profiles invoice guide)",
    },
    grafanaCloudTracesWrittenGb: {
        value: 0.4,
        unit: "USD per GB written, Grafana Cloud Traces (30 days retention included)",
        region: "global (SaaS)",
        source: "grafana.com/pricing/#traces and grafana.com/docs/grafana-cloud/platform/pricing-and-usage/traces (GBs written; $0.40 per GB after the free 50 GB, 30 days retention on paid plans)",
    },
    grafanaCloudTracesRetentionGbPer30Days: {
        value: 0.1,
        unit: "USD per GB for each additional 30 days retained beyond 30",
        region: "global (SaaS)",
        source: "grafana.com/docs/grafana-cloud/platform/pricing-and-usage/traces (GBs retained beyond the minimum; $0.10 per GB per additional 30-day increment)",
    },
} as const satisfies Record<string, UnitPrice>;

/** MSK Standard broker instance hours, by `mskInstanceType`. */
export const mskBrokerHour = {
    "kafka.t3.small": {
        value: 0.0456,
        unit: "USD per broker-hour",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (Standard brokers, kafka.t3.small $0.0456/h)",
    },
    "kafka.m5.large": {
        value: 0.21,
        unit: "USD per broker-hour",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (Standard brokers, kafka.m5.large $0.21/h)",
    },
    "kafka.m7g.large": {
        value: 0.204,
        unit: "USD per broker-hour",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (Standard brokers, kafka.m7g.large $0.204/h); same figure in public MSK cost estimators",
    },
    "kafka.m7g.xlarge": {
        value: 0.408,
        unit: "USD per broker-hour",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (Standard brokers, kafka.m7g.xlarge $0.408/h)",
    },
    "kafka.m7g.2xlarge": {
        value: 0.816,
        unit: "USD per broker-hour",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (Standard brokers, kafka.m7g.2xlarge $0.816/h)",
    },
    "kafka.m7g.4xlarge": {
        value: 1.632,
        unit: "USD per broker-hour",
        region: usEast1,
        source: "aws.amazon.com/msk/pricing (Standard brokers, kafka.m7g.4xlarge $1.632/h)",
    },
} as const satisfies Record<string, UnitPrice>;

/** Managed Prometheus sample ingestion, tiered by samples per month. */
export const ampSamplesIngested: TieredPrice = {
    tiers: [
        { upTo: 2e9, value: 0.9 / 1e7 },
        { upTo: 252e9, value: 0.35 / 1e7 },
        { upTo: Number.POSITIVE_INFINITY, value: 0.16 / 1e7 },
    ],
    unit: "USD per sample ingested: $0.90 per 10M for the first 2B/month, $0.35 per 10M for the next 250B, $0.16 per 10M above",
    region: usEast1,
    source: "aws.amazon.com/prometheus/pricing (metric samples ingested, tiered)",
};

/**
 * X-Ray through CloudWatch Transaction Search (the OTLP endpoint): spans are stored as structured
 * logs and billed per GB ingested, tiered by monthly volume; 1% of spans is indexed as trace
 * summaries at no charge.
 */
export const transactionSearchSpansIngested: TieredPrice = {
    tiers: [
        { upTo: 10_000, value: 0.35 },
        { upTo: 30_000, value: 0.2 },
        { upTo: Number.POSITIVE_INFINITY, value: 0.15 },
    ],
    unit: "USD per GB of spans ingested: $0.35 for the first 10 TB a month, $0.20 for the next 20 TB, $0.15 above; 1% indexed as trace summaries free",
    region: usEast1,
    source: "aws.amazon.com/cloudwatch/pricing (Application Signals and Transaction Search: spans ingested); docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Enable-TransactionSearch.html (1% indexed free)",
};

/** Allowances each AWS account gets every month before the matching price applies. */
export const freeAllowances = {
    kmsRequests: {
        value: 20_000,
        unit: "KMS requests per month per account",
        region: "all regions together",
        source: "aws.amazon.com/kms/pricing (free tier: 20,000 requests/month calculated across all regions)",
    },
    xrayTracesRecorded: {
        value: 100_000,
        unit: "traces recorded per month",
        region: "all regions",
        source: "aws.amazon.com/xray/pricing (perpetual free tier: first 100,000 traces recorded each month)",
    },
    xrayTracesRetrieved: {
        value: 1_000_000,
        unit: "traces retrieved or scanned per month",
        region: "all regions",
        source: "aws.amazon.com/xray/pricing (perpetual free tier: first 1,000,000 traces retrieved or scanned each month)",
    },
    grafanaCloudTracesGb: {
        value: 50,
        unit: "GB of traces written per month",
        region: "global (SaaS)",
        source: "grafana.com/docs/grafana-cloud/cost-management-and-billing/understand-your-invoice/logs-invoice (free 50 GB allotment)",
    },
} as const satisfies Record<string, FreeAllowance>;

/** Cost of `quantity` units under a tiered price (tiers apply to cumulative usage). */
export function tieredCost(price: TieredPrice, quantity: number): number {
    let cost = 0;
    let lower = 0;
    for (const tier of price.tiers) {
        if (quantity <= lower) break;
        cost += (Math.min(quantity, tier.upTo) - lower) * tier.value;
        lower = tier.upTo;
    }
    return cost;
}
