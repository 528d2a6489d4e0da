/** The project's configuration namespace and every key declared in it (Pulumi.yaml must match). */

export const projectName = "tracing-platform";

/**
 * Keys earlier releases declared, with what replaced them: a stack file that still sets one gets
 * this explanation instead of a bare "unknown key".
 */
export const retiredKeys: Readonly<Record<string, string>> = {
    kubeContext: "nothing: the Kubernetes provider builds its kubeconfig from eksClusterName (aws eks get-token); delete the key",
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
    "eksClusterName",
    "eksNodeSecurityGroupId",
    "storageClass",
    "vpnClientCidr",
    "vpnSessionTimeoutHours",
    "vpnLoginBanner",
    "appOtlpCidrs",
    "s3Cidrs",
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
