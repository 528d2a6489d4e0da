/**
 * The golden stack's AWS side: KMS keys, the trace and audit buckets with all their side
 * resources, CloudTrail, the Client VPN with its log group and security groups, and Tempo's
 * workload identity.
 */
import { awsResourceNames, ports, workloads } from "../../../components/platform/names";
import type { Settings } from "../../../components/platform/settings";
import type { RecordedResource } from "../../harness/recording";
import { defaultRequiredSecurityMetrics } from "../../../policies/rules/alarms";
import { json, type StackBuilder } from "./builder";

/** What the Kubernetes side needs of the AWS side. */
export interface GoldenTraceStore {
    readonly bucketName: string;
    readonly keyArn: string;
    /** The trace key itself, for inputs computed from its ARN. */
    readonly key: RecordedResource;
}

/** Adds the AWS resources, all through the explicit `aws` provider. */
export function addAwsResources(b: StackBuilder, settings: Settings, aws: RecordedResource): GoldenTraceStore {
    const stack = b.stack;
    const { accountId, region } = settings.aws;
    const names = awsResourceNames(settings.environment, accountId, region);
    const protect = settings.protectStatefulResources;
    const onAws = { provider: aws };
    const root = `arn:aws:iam::${accountId}:root`;

    // KMS keys.
    const keyAdministration = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"];
    const keyPolicy = (extra: object[]) =>
        json({ Version: "2012-10-17", Statement: [{ Sid: "AccountAdmin", Effect: "Allow", Principal: { AWS: root }, Action: keyAdministration, Resource: "*" }, ...extra] });
    const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${names.trail}`;
    const traceKey = b.add(
        "aws:kms/key:Key",
        "tracing-traces-key",
        { description: "Encrypts trace blocks in the trace bucket", enableKeyRotation: true, deletionWindowInDays: settings.kms.deletionWindowDays, policy: keyPolicy([]) },
        { ...onAws, protect },
    );
    const auditKey = b.add(
        "aws:kms/key:Key",
        "tracing-audit-key",
        {
            description: "Encrypts CloudTrail logs and audit log groups",
            enableKeyRotation: true,
            deletionWindowInDays: settings.kms.deletionWindowDays,
            policy: keyPolicy([
                {
                    Sid: "CloudTrailEncrypts",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceArn": trailArn } },
                },
                {
                    Sid: "AccountReadsTrailLogsThroughS3",
                    Effect: "Allow",
                    Principal: { AWS: root },
                    Action: "kms:Decrypt",
                    Resource: "*",
                    Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:CallerAccount": accountId } },
                },
            ]),
        },
        { ...onAws, protect },
    );
    const traceKeyArn = `arn:aws:kms:${region}:${accountId}:key/tracing-traces-key-id`;
    const auditKeyArn = `arn:aws:kms:${region}:${accountId}:key/tracing-audit-key-id`;

    // Buckets and their side resources.
    const lockDays = settings.retention.auditDays;
    const traceBucket = b.add("aws:s3/bucket:Bucket", "tracing-traces", { bucket: names.traceBucket, forceDestroy: false }, { ...onAws, protect });
    const auditBucket = b.add("aws:s3/bucket:Bucket", "tracing-audit", { bucket: names.auditBucket, objectLockEnabled: true, forceDestroy: false }, { ...onAws, protect });
    const tlsOnly = (bucketName: string) => ({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    for (const [bucket, bucketName, key, keyArn] of [
        [traceBucket, names.traceBucket, traceKey, traceKeyArn],
        [auditBucket, names.auditBucket, auditKey, auditKeyArn],
    ] as const) {
        const on = { ...onAws, from: { bucket: [bucket] } };
        b.add(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            `${bucket.name}-encryption`,
            { bucket: bucketName, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"] }] },
            { ...onAws, from: { bucket: [bucket], rules: [key] } },
        );
        b.add(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            `${bucket.name}-public-access`,
            { bucket: bucketName, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            on,
        );
        b.add("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${bucket.name}-ownership`, { bucket: bucketName, rule: { objectOwnership: "BucketOwnerEnforced" } }, on);
        b.add("aws:s3/bucketVersioning:BucketVersioning", `${bucket.name}-versioning`, { bucket: bucketName, versioningConfiguration: { status: "Enabled" } }, on);
        const extra =
            bucket === auditBucket
                ? [
                      { Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${bucketName}`, Condition: { StringEquals: { "aws:SourceArn": trailArn } } },
                      { Sid: "CloudTrailWrite", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucketName}/AWSLogs/${accountId}/*`, Condition: { StringEquals: { "aws:SourceArn": trailArn } } },
                      { Sid: "AccessLogDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucketName}/access-logs/*`, Condition: { StringEquals: { "aws:SourceAccount": accountId } } },
                  ]
                : [];
        b.add("aws:s3/bucketPolicy:BucketPolicy", `${bucket.name}-policy`, { bucket: bucketName, policy: json({ Version: "2012-10-17", Statement: [tlsOnly(bucketName), ...extra] }) }, on);
        const expiration = bucket === auditBucket ? lockDays + 1 : settings.retention.traceDays;
        b.add(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            `${bucket.name}-lifecycle`,
            {
                bucket: bucketName,
                rules: [
                    { id: "expire", status: "Enabled", filter: {}, expiration: { days: expiration }, noncurrentVersionExpiration: { noncurrentDays: 1 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
                ],
            },
            on,
        );
    }
    b.add(
        "aws:s3/bucketLogging:BucketLogging",
        "tracing-traces-access-logs",
        { bucket: names.traceBucket, targetBucket: names.auditBucket, targetPrefix: "access-logs/traces/" },
        { ...onAws, from: { bucket: [traceBucket], targetBucket: [auditBucket] } },
    );
    b.add(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "tracing-audit-object-lock",
        { bucket: names.auditBucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: settings.isProduction ? "COMPLIANCE" : "GOVERNANCE", days: lockDays } } },
        { ...onAws, from: { bucket: [auditBucket] } },
    );

    // CloudTrail.
    b.add(
        "aws:cloudtrail/trail:Trail",
        "tracing-audit-trail",
        {
            name: names.trail,
            s3BucketName: names.auditBucket,
            kmsKeyId: auditKeyArn,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            eventSelectors: [{ readWriteType: "All", includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: [`arn:aws:s3:::${names.traceBucket}/`] }] }],
        },
        { ...onAws, from: { s3BucketName: [auditBucket], kmsKeyId: [auditKey], eventSelectors: [traceBucket] } },
    );

    // Client VPN with its log group and security groups.
    const vpnLogGroup = b.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "tracing-vpn-connections",
        { name: `/tracing/${stack}/client-vpn`, kmsKeyId: auditKeyArn, retentionInDays: settings.retention.logDays },
        { ...onAws, from: { kmsKeyId: [auditKey] } },
    );
    // The platform's own logs, which the golden collector config ships.
    b.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "tracing-workload-logs",
        { name: `/tracing/${stack}/workloads`, kmsKeyId: auditKeyArn, retentionInDays: settings.retention.logDays },
        { ...onAws, from: { kmsKeyId: [auditKey] } },
    );
    // Suspicious-activity alarms: a filter and a notifying alarm per required metric.
    const alertTopic = b.add("aws:sns/topic:Topic", "tracing-alerts", { name: `tracing-alerts-${stack}`, kmsMasterKeyId: auditKeyArn }, { ...onAws, from: { kmsMasterKeyId: [auditKey] } });
    const alertTopicArn = `arn:aws:sns:${region}:${accountId}:tracing-alerts-${stack}`;
    for (const metric of defaultRequiredSecurityMetrics) {
        const metricTransformation = { name: metric, namespace: `Tracing/Security/${stack}`, value: "1" };
        const filter = b.add("aws:cloudwatch/logMetricFilter:LogMetricFilter", `security-${metric}`, { name: metric, logGroupName: `/tracing/${stack}/client-vpn`, pattern: `{ $.event = "${metric}" }`, metricTransformation }, { ...onAws, from: { logGroupName: [vpnLogGroup] } });
        const alarm = { metricName: metric, namespace: metricTransformation.namespace, statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [alertTopicArn] };
        b.add("aws:cloudwatch/metricAlarm:MetricAlarm", `security-${metric}`, alarm, { ...onAws, from: { alarmActions: [alertTopic], metricName: [filter] } });
    }
    /** A security group managed by standalone rules, with one HTTPS rule. */
    const securityGroup = (name: string, description: string, rule: { direction: "Ingress" | "Egress"; name: string; cidr: string; description: string }) => {
        const group = b.add("aws:ec2/securityGroup:SecurityGroup", name, { vpcId: settings.network.vpcId, description }, onAws);
        b.add(
            `aws:vpc/securityGroup${rule.direction}Rule:SecurityGroup${rule.direction}Rule`,
            rule.name,
            { securityGroupId: `${name}-id`, cidrIpv4: rule.cidr, ipProtocol: "tcp", fromPort: ports.https, toPort: ports.https, description: rule.description },
            { ...onAws, from: { securityGroupId: [group] } },
        );
        return group;
    };
    const vpnGroup = securityGroup("tracing-vpn", "Client VPN endpoint: VPN users into the platform VPC", {
        direction: "Egress",
        name: "tracing-vpn-to-vpc-https",
        cidr: settings.network.vpcCidr,
        description: "VPN users reach internal load balancers over HTTPS",
    });
    securityGroup("tracing-grafana-lb", "Internal load balancer in front of Grafana", {
        direction: "Ingress",
        name: "tracing-grafana-lb-from-vpn",
        cidr: settings.network.vpnClientCidr,
        description: "VPN clients reach Grafana over HTTPS",
    });
    const endpoint = b.add(
        "aws:ec2clientvpn/endpoint:Endpoint",
        "tracing-vpn",
        {
            description: `tracing-platform ${stack} Client VPN`,
            clientCidrBlock: settings.network.vpnClientCidr,
            serverCertificateArn: `arn:aws:acm:${region}:${accountId}:certificate/vpn-server`,
            authenticationOptions: [{ type: "federated-authentication", samlProviderArn: `arn:aws:iam::${accountId}:saml-provider/tracing-${stack}-client-vpn` }],
            connectionLogOptions: { enabled: true, cloudwatchLogGroup: `/tracing/${stack}/client-vpn` },
            vpcId: settings.network.vpcId,
            securityGroupIds: ["tracing-vpn-id"],
            sessionTimeoutHours: settings.network.vpnSessionTimeoutHours,
            clientLoginBannerOptions: { enabled: true, bannerText: settings.network.vpnLoginBanner },
            selfServicePortal: "disabled",
            splitTunnel: true,
            transportProtocol: "udp",
            vpnPort: 443,
        },
        { ...onAws, from: { connectionLogOptions: [vpnLogGroup], securityGroupIds: [vpnGroup] } },
    );
    b.add(
        "aws:ec2clientvpn/authorizationRule:AuthorizationRule",
        "tracing-vpn-platform-vpc",
        { clientVpnEndpointId: "tracing-vpn-id", targetNetworkCidr: settings.network.vpcCidr, accessGroupId: "tracing-grafana-users", description: "Grafana users may reach the platform VPC" },
        { ...onAws, from: { clientVpnEndpointId: [endpoint] } },
    );

    // The VPN server certificate, imported into ACM, and the alarm that warns before it expires.
    const serverCertificate = b.add("aws:acm/certificate:Certificate", "tracing-vpn-server-certificate", { certificateBody: "[pem]", certificateChain: "[pem]", privateKey: "[secret]" }, onAws);
    b.add(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "tracing-vpn-server-expiry",
        {
            namespace: "AWS/CertificateManager",
            metricName: "DaysToExpiry",
            dimensions: { CertificateArn: `arn:aws:acm:${region}:${accountId}:certificate/vpn-server` },
            statistic: "Minimum",
            period: 86400,
            evaluationPeriods: 1,
            comparisonOperator: "LessThanThreshold",
            threshold: 24,
            alarmActions: [alertTopicArn],
        },
        { ...onAws, from: { dimensions: [serverCertificate], alarmActions: [alertTopic] } },
    );

    // The S3 gateway endpoint: everything as without it, except other accounts on the platform's buckets and writes to the audit logs.
    const anyone = { Effect: "Deny", Principal: "*" };
    b.add(
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "tracing-s3",
        {
            vpcId: settings.network.vpcId,
            serviceName: `com.amazonaws.${region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: settings.network.privateRouteTableIds,
            policy: json({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "AllowAsWithoutEndpoint", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
                    {
                        Sid: "DenyPlatformResourcesToOtherAccounts",
                        ...anyone,
                        Action: "s3:*",
                        Resource: [names.traceBucket, names.auditBucket].flatMap((bucket) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]),
                        Condition: { StringNotEquals: { "aws:PrincipalAccount": accountId } },
                    },
                    { Sid: "DenyLogWritesFromVpc", ...anyone, Action: ["s3:PutObject*", "s3:DeleteObject*"], Resource: `arn:aws:s3:::${names.auditBucket}/*` },
                ],
            }),
        },
        onAws,
    );

    // Tempo's workload identity.
    const issuer = `oidc.eks.${region}.amazonaws.com/id/GOLDEN0123456789ABCDEF`;
    const tempoRole = b.add(
        "aws:iam/role:Role",
        "tracing-tempo",
        {
            name: `tracing-tempo-${stack}`,
            assumeRolePolicy: json({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${issuer}` },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${workloads.tempo.namespace}:${workloads.tempo.serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
                    },
                ],
            }),
        },
        onAws,
    );
    b.add(
        "aws:iam/rolePolicy:RolePolicy",
        "tracing-tempo-storage",
        {
            role: `tracing-tempo-${stack}`,
            policy: json({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "TraceBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: `arn:aws:s3:::${names.traceBucket}` },
                    { Sid: "TraceObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `arn:aws:s3:::${names.traceBucket}/*` },
                    { Sid: "TraceKey", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: traceKeyArn },
                ],
            }),
        },
        { ...onAws, from: { role: [tempoRole], policy: [traceBucket, traceKey] } },
    );
    return { bucketName: names.traceBucket, keyArn: traceKeyArn, key: traceKey };
}
