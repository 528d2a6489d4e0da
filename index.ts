import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cloudWatchLogsKeyPolicy } from "./components/builders/aws-policies";
import { ClientVpn } from "./components/client-vpn";
import { loadSettings } from "./components/config";
import { InternalEndpoints } from "./components/internal-endpoints";
import { serviceDnsNames, ports } from "./components/names";
import { PlatformNamespaces } from "./components/namespaces";
import { NetworkPerimeter } from "./components/network-perimeter";
import { PlatformNetworkPolicies } from "./components/network-policies";
import { PlatformPki } from "./components/pki";
import { Providers } from "./components/providers";

const settings = loadSettings();
const providers = new Providers("tracing", { settings });
const awsOnly = { providers: [providers.aws] };
const kubernetesOnly = { providers: [providers.kubernetes] };
const platformNamespaces = new PlatformNamespaces(
    "tracing",
    { environment: settings.environment },
    { providers: [providers.aws, providers.kubernetes] },
);

const pki = new PlatformPki(
    "tracing",
    {
        environment: settings.environment,
        validity: settings.pki,
        grafanaHostname: settings.grafana.hostname,
        gatewayMaxReplicas: settings.collectors.gatewayMaxReplicas,
        namespaces: platformNamespaces.namespaces,
    },
    { providers: [providers.tls, providers.kubernetes] },
);

const perimeter = new NetworkPerimeter(
    "tracing",
    {
        environment: settings.environment,
        accountId: settings.aws.accountId,
        region: settings.aws.region,
        network: settings.network,
        nodeSecurityGroupId: settings.cluster.nodeSecurityGroupId,
    },
    awsOnly,
);

// Connection-log key for the Client VPN: replaced by KmsKeys on merge.
const vpnLogsKey = new aws.kms.Key(
    "tracing-vpn-logs",
    {
        description: `tracing-platform ${settings.environment}: Client VPN connection logs`,
        enableKeyRotation: true,
        deletionWindowInDays: settings.kms.deletionWindowDays,
        policy: JSON.stringify(cloudWatchLogsKeyPolicy(settings.aws.accountId, settings.aws.region)),
    },
    { provider: providers.aws, protect: settings.protectStatefulResources },
);

const vpn = new ClientVpn(
    "tracing",
    {
        environment: settings.environment,
        network: settings.network,
        logRetentionDays: settings.retention.logDays,
        protectLogs: settings.protectStatefulResources,
        logsKmsKeyArn: vpnLogsKey.arn,
        securityGroupId: perimeter.vpnEndpointSecurityGroupId,
        serverCertificate: pki.vpnServer,
        caCertificatePem: pki.vpnCaCertificatePem,
    },
    awsOnly,
);

new InternalEndpoints(
    "tracing",
    {
        environment: settings.environment,
        vpcCidr: settings.network.vpcCidr,
        appOtlpCidrs: settings.network.appOtlpCidrs,
        privateSubnetIds: settings.network.privateSubnetIds,
        grafanaHostname: settings.grafana.hostname,
        grafanaLoadBalancerSecurityGroupId: perimeter.grafanaLoadBalancerSecurityGroupId,
        gatewayLoadBalancerSecurityGroupId: perimeter.gatewayLoadBalancerSecurityGroupId,
        namespaces: platformNamespaces.namespaces,
    },
    kubernetesOnly,
);

new PlatformNetworkPolicies(
    "tracing",
    {
        plan: {
            environment: settings.environment,
            vpcCidr: settings.network.vpcCidr,
            appOtlpCidrs: settings.network.appOtlpCidrs,
            s3Cidrs: settings.network.s3Cidrs,
            appNamespaceLabel: settings.network.appNamespaceLabel,
            tempoMode: settings.tempo.mode,
        },
        namespaces: platformNamespaces.namespaces,
    },
    kubernetesOnly,
);

export const environment = settings.environment;
export const awsAccountId = settings.aws.accountId;
export const awsRegion = settings.aws.region;
export const namespaces = Object.values(platformNamespaces.namespaces).map((ns) => ns.metadata.name);
/** The platform CA (public PEM): install it where users and senders must trust the platform's endpoints. */
export const caCertificate = pki.caCertificatePem;
export const grafanaUrl = `https://${settings.grafana.hostname}`;
/** OTLP/gRPC endpoint for in-cluster applications: the node-local agents, TLS with the platform CA. */
export const otlpEndpoint = `https://${serviceDnsNames("agent").at(-1)}:${ports.otlpGrpc}`;
export const vpnEndpointId = vpn.endpointId;
/** VPN users' client certificate (public) and key (secret): what goes into the VPN profile. */
export const vpnClientCertificate = pki.vpnClient.certificatePem;
export const vpnClientPrivateKey = pulumi.secret(pki.vpnClient.privateKeyPem);
