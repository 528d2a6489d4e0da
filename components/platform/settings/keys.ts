/** The project's configuration namespace and every key declared in it (Pulumi.yaml must match). */

export const projectName = "tracing-platform";

/**
 * Keys earlier releases declared, with what replaced them: a stack file that still sets one gets
 * this explanation instead of a bare "unknown key".
 */
export const retiredKeys: Readonly<Record<string, string>> = {
    kubeContext: "nothing: the Kubernetes provider builds its kubeconfig from eksClusterName (aws eks get-token); delete the key",
    s3Cidrs:
        "nothing: remove the key. Tempo's S3 egress now follows the region's S3 managed prefix list " +
        "(com.amazonaws.<region>.s3), read from EC2 when the stack deploys, so no address ranges are copied by hand",
    tempoReplicas: "traceDurability and the capacity plan, which sizes every Tempo component's replicas from the load; delete the key",
    storageClass:
        "nothing: the program creates its own KMS-encrypted StorageClass, tracing-<environment>-gp3-encrypted, and every volume uses it; delete the key",
};

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
    "existingS3EndpointId",
    "existingSnsEndpointId",
    "existingApsEndpointId",
    "existingLogsEndpointId",
    "eksClusterName",
    "eksNodeSecurityGroupId",
    "kubernetesServiceCidr",
    "vpnClientCidr",
    "vpnSessionTimeoutHours",
    "vpnLoginBanner",
    "vpnSubnetAssociations",
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
    "externalSenders",
    "traceDurability",
    "tempoMode",
    "tempoVolumeGb",
    "mskInstanceType",
    "mskBrokerCount",
    "mskVolumeGb",
    "kafkaVersion",
    "grafanaHostname",
    "grafanaVolumeGb",
    "alertEmail",
    "vpnSamlMetadata",
    "vpnAccessGroups",
    "grafanaOidcIssuer",
    "grafanaOidcAuthUrl",
    "grafanaOidcTokenUrl",
    "grafanaOidcUserInfoUrl",
    "grafanaOidcClientId",
    "grafanaOidcClientSecret",
    "grafanaOidcScopes",
    "grafanaOidcGroupsClaim",
    "grafanaRoleGroups",
    "grafanaIdpCidrs",
    "systems",
    "systemOverrides",
] as const;
export type DeclaredKey = (typeof declaredKeys)[number];

