/** The project's configuration namespace and every key declared in it (Pulumi.yaml must match). */

export const projectName = "tracing-platform";

/** Every key the project declares (without namespace); anything else in the namespace is a typo. */
export const declaredKeys = [
    "environment",
    "devAccountId",
    "testAccountId",
    "prodAccountId",
    "owner",
    "costCenter",
    "dataClassification",
    "vpcId",
    "vpcCidr",
    "privateSubnetIds",
    "privateRouteTableIds",
    "eksClusterName",
    "eksNodeSecurityGroupId",
    "kubernetesServiceCidr",
    "kubeContext",
    "storageClass",
    "vpnClientCidr",
    "vpnSessionTimeoutHours",
    "vpnLoginBanner",
    "appOtlpCidrs",
    "appNamespaceLabel",
    "caValidityHours",
    "certValidityHours",
    "certEarlyRenewalHours",
    "traceRetentionDays",
    "auditRetentionDays",
    "logRetentionDays",
    "kmsDeletionWindowDays",
    "collectorImage",
    "collectorGatewayImage",
    "tempoImage",
    "grafanaImage",
    "gatewayMinReplicas",
    "gatewayMaxReplicas",
    "gatewayQueueVolumeGb",
    "piiDropClientAddress",
    "tempoMode",
    "tempoReplicas",
    "tempoVolumeGb",
    "mskInstanceType",
    "mskBrokerCount",
    "mskVolumeGb",
    "kafkaVersion",
    "grafanaHostname",
    "grafanaVolumeGb",
    "alertEmail",
    "systems",
    "systemOverrides",
] as const;
export type DeclaredKey = (typeof declaredKeys)[number];

/**
 * Keys the project once declared and no longer reads, with what replaced them: a stack that still
 * sets one gets a settings error saying so, rather than the key being silently ignored.
 */
export const retiredKeys: Readonly<Record<string, string>> = {
    s3Cidrs:
        "nothing: remove the key. Tempo's S3 egress now follows the region's S3 managed prefix list " +
        "(com.amazonaws.<region>.s3), read from EC2 when the stack deploys, so no address ranges are copied by hand",
};
