/**
 * What counts as suspicious activity, as CloudWatch Logs metric filters: the CIS AWS Foundations
 * section 4 monitoring controls this platform owns (Security Hub CloudWatch.1-14 style) on the
 * trail's log group, failed VPN connection attempts on the Client VPN connection log, and failed
 * Grafana logins on the workload log group. Patterns use the JSON filter-pattern syntax
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html): `$.field`
 * selectors, `=` on strings (with `*` wildcards) and numbers, `&&`, `||` and parentheses.
 */
/** The log group a detection reads. */
export type DetectionSource = "trail" | "vpn" | "workloads";

/** Metric names every environment alarms on (the policy pack's default list of required alarms). */
export const securityMetrics = [
    "UnauthorizedApiCalls",
    "BucketPolicyChanges",
    "KeyPolicyChanges",
    "SecurityGroupChanges",
    "ClientVpnChanges",
    "FailedVpnConnections",
    "FailedGrafanaLogins",
] as const;

export interface Detection {
    /** Metric name (and, with the environment, the alarm's and filter's name). */
    readonly metric: (typeof securityMetrics)[number];
    readonly source: DetectionSource;
    /** CloudWatch Logs JSON filter pattern. */
    readonly pattern: string;
    /** Matching events within one period that raise the alarm. */
    readonly threshold: number;
    /** What the alarm says it saw, for the notification. */
    readonly description: string;
    /** Public controls the detection implements (CIS AWS Foundations v3.0.0, Security Hub). */
    readonly controls: readonly string[];
}

const equalsAny = (field: string, values: readonly string[]) => values.map((value) => `($.${field} = "${value}")`).join(" || ");

/** Bucket policy and ACL changes (CIS 4.8), scoped to the platform's own buckets. */
export const bucketPolicyEvents = [
    "PutBucketAcl",
    "PutBucketPolicy",
    "PutBucketCors",
    "PutBucketLifecycle",
    "PutBucketReplication",
    "DeleteBucketPolicy",
    "DeleteBucketCors",
    "DeleteBucketLifecycle",
    "DeleteBucketReplication",
    "PutBucketPublicAccessBlock",
    "DeleteBucketPublicAccessBlock",
] as const;

/** Key policy changes and disabling or scheduling deletion of a key (CIS 4.7, extended to PutKeyPolicy). */
export const keyPolicyEvents = ["PutKeyPolicy", "DisableKey", "ScheduleKeyDeletion", "CreateGrant", "RevokeGrant"] as const;

/** Security group changes (CIS 4.10). */
export const securityGroupEvents = [
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "ModifySecurityGroupRules",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
] as const;

/** Changes to a Client VPN endpoint: who may connect, where they may go, how they authenticate. */
export const clientVpnEvents = [
    "CreateClientVpnEndpoint",
    "ModifyClientVpnEndpoint",
    "DeleteClientVpnEndpoint",
    "AuthorizeClientVpnIngress",
    "RevokeClientVpnIngress",
    "CreateClientVpnRoute",
    "DeleteClientVpnRoute",
    "AssociateClientVpnTargetNetwork",
    "DisassociateClientVpnTargetNetwork",
    "ApplySecurityGroupsToClientVpnTargetNetwork",
    "ImportClientVpnClientCertificateRevocationList",
] as const;

/** The detections of an environment, whose bucket names scope the bucket-policy filter. */
export function detections(platformBucketNames: readonly string[]): readonly Detection[] {
    return [
        {
            metric: "UnauthorizedApiCalls",
            source: "trail",
            pattern: `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
            threshold: 1,
            description: "API calls refused for lack of permission (CloudTrail errorCode UnauthorizedOperation or AccessDenied)",
            controls: ["CIS AWS 4.1", "Security Hub CloudWatch.2"],
        },
        {
            metric: "BucketPolicyChanges",
            source: "trail",
            pattern: `{ ($.eventSource = "s3.amazonaws.com") && (${equalsAny("eventName", bucketPolicyEvents)}) && (${equalsAny("requestParameters.bucketName", platformBucketNames)}) }`,
            threshold: 1,
            description: "a policy, ACL, CORS, lifecycle or replication change on one of the platform's buckets",
            controls: ["CIS AWS 4.8", "Security Hub CloudWatch.8"],
        },
        {
            metric: "KeyPolicyChanges",
            source: "trail",
            pattern: `{ ($.eventSource = "kms.amazonaws.com") && (${equalsAny("eventName", keyPolicyEvents)}) }`,
            threshold: 1,
            description: "a KMS key policy or grant change, or a key disabled or scheduled for deletion",
            controls: ["CIS AWS 4.7", "Security Hub CloudWatch.7"],
        },
        {
            metric: "SecurityGroupChanges",
            source: "trail",
            pattern: `{ ${equalsAny("eventName", securityGroupEvents)} }`,
            threshold: 1,
            description: "a security group created, deleted or its rules changed",
            controls: ["CIS AWS 4.10", "Security Hub CloudWatch.10"],
        },
        {
            metric: "ClientVpnChanges",
            source: "trail",
            pattern: `{ ($.eventSource = "ec2.amazonaws.com") && (${equalsAny("eventName", clientVpnEvents)}) }`,
            threshold: 1,
            description: "a Client VPN endpoint, its authorization rules, routes or networks changed",
            controls: [],
        },
        {
            metric: "FailedVpnConnections",
            source: "vpn",
            pattern: `{ $.connection-attempt-status = "failed" }`,
            threshold: 5,
            description: "repeated failed Client VPN connection attempts (authentication or authorization refused)",
            controls: [],
        },
        {
            metric: "FailedGrafanaLogins",
            source: "workloads",
            pattern: `{ ($.body.logger = "context") && ($.body.path = "/login") && ($.body.status = 401) }`,
            threshold: 5,
            description: "repeated failed Grafana logins (POST /login answered 401)",
            controls: [],
        },
    ];
}
