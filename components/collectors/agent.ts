import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CollectorTierArgs, HashSaltArgs, TrustBundleArgs } from "./base-args";
import { buildAgentConfig, clusterResourceAttributes } from "./agent-config";
import { collectorEnv, renderCollectorConfig } from "./config";
import { collectorDestinations } from "./destinations";
import { collectorAccountAndConfig, collectorPodSpec, nodeCollectorSpec, podTemplateAnnotations, selectorLabels } from "./pod";
import { ports, serviceDnsNames, services, standardLabels, tlsSecrets, workloads } from "../platform/names";
import type { Destination } from "../platform/destinations";

export interface CollectorAgentArgs extends CollectorTierArgs, HashSaltArgs, TrustBundleArgs {}

const workload = workloads.agent;

/**
 * The node-local tier: a DaemonSet receiving OTLP over TLS from the applications on its node
 * (through a Service with internalTrafficPolicy Local, so spans never cross nodes unencrypted or
 * at all), enriching them with Kubernetes metadata, scrubbing personal data and routing each
 * trace, by trace id, to one gateway over mutual TLS.
 */
export class CollectorAgent extends pulumi.ComponentResource {
    /** The rendered collector config (YAML), as the ConfigMap holds it. */
    public readonly renderedConfig: string;
    /** Every host and port that config dials (the agents' NetworkPolicy egress is derived from it). */
    public readonly destinations: Destination[];
    /** OTLP/gRPC endpoint applications export to. */
    public readonly otlpGrpcEndpoint: string;
    /** OTLP/HTTP endpoint applications export to. */
    public readonly otlpHttpEndpoint: string;
    public readonly daemonSet: k8s.apps.v1.DaemonSet;
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: CollectorAgentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:collectors:CollectorAgent", name, args, opts);
        const { settings, plan } = args;
        const namespace = workload.namespace;
        const labels = standardLabels(workload.name, settings.environment, "agent");
        const selector = selectorLabels(workload.name);
        const parent = { parent: this };

        const config = buildAgentConfig({ image: settings.images.collector, dropClientAddress: settings.collectors.dropClientAddress });
        this.renderedConfig = renderCollectorConfig(config);
        this.destinations = collectorDestinations(config);

        // The token is mounted into the pod only (k8s_attributes and the k8s resolver call the API);
        // the account itself does not hand it to every pod that might use it.
        const objects = collectorAccountAndConfig(workload, labels, this.renderedConfig);
        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-service-account`, objects.serviceAccount, parent);

        // k8s_attributes: read-only pod, namespace and replica-set metadata (deployment names come from replica sets).
        const metadataReader = new k8s.rbac.v1.ClusterRole(
            `${name}-metadata-reader`,
            {
                metadata: { name: `${workload.name}-k8s-attributes`, labels },
                rules: [
                    { apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] },
                    { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
                ],
            },
            parent,
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-metadata-reader-binding`,
            {
                metadata: { name: `${workload.name}-k8s-attributes`, labels },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: metadataReader.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace }],
            },
            parent,
        );

        // load_balancing's k8s resolver watches the gateways' EndpointSlices, in this namespace only.
        const gatewayDiscovery = new k8s.rbac.v1.Role(
            `${name}-gateway-discovery`,
            {
                metadata: { name: `${workload.name}-gateway-discovery`, namespace, labels },
                rules: [{ apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] }],
            },
            parent,
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-gateway-discovery-binding`,
            {
                metadata: { name: `${workload.name}-gateway-discovery`, namespace, labels },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: gatewayDiscovery.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace }],
            },
            parent,
        );

        const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, objects.configMap, parent);

        const podSpec = collectorPodSpec({
            workload: workload.name,
            image: settings.images.collector.reference,
            resources: plan.agent.resources,
            configMapName: configMap.metadata.name,
            serverTlsSecret: tlsSecrets.agentServer.name,
            clientTlsSecret: tlsSecrets.agentClient.name,
            hashSaltSecretName: args.hashSaltSecretName,
            serviceAccountName: workload.serviceAccount,
            automountServiceAccountToken: true,
            env: [
                {
                    name: collectorEnv.resourceAttributes,
                    value: clusterResourceAttributes({
                        environment: settings.environment,
                        clusterName: settings.cluster.name,
                        region: settings.aws.region,
                        accountId: settings.aws.accountId,
                    }),
                },
            ],
            extraMounts: [],
            extraVolumes: [],
        });

        this.daemonSet = new k8s.apps.v1.DaemonSet(
            `${name}-daemonset`,
            {
                metadata: { name: workload.name, namespace, labels },
                spec: nodeCollectorSpec({ labels, selector, annotations: podTemplateAnnotations(this.renderedConfig, args.tlsHash), podSpec }),
            },
            { parent: this, dependsOn: [serviceAccount] },
        );

        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: services.agent.name, namespace: services.agent.namespace, labels },
                spec: {
                    type: "ClusterIP",
                    selector,
                    // Each application talks to the agent on its own node: no cross-node hop, no extra latency.
                    internalTrafficPolicy: "Local",
                    ports: [
                        { name: "otlp-grpc", port: ports.otlpGrpc, targetPort: "otlp-grpc", protocol: "TCP" },
                        { name: "otlp-http", port: ports.otlpHttp, targetPort: "otlp-http", protocol: "TCP" },
                    ],
                },
            },
            parent,
        );

        const host = serviceDnsNames("agent").at(-1)!;
        this.otlpGrpcEndpoint = `https://${host}:${ports.otlpGrpc}`;
        this.otlpHttpEndpoint = `https://${host}:${ports.otlpHttp}`;
        this.registerOutputs({ otlpGrpcEndpoint: this.otlpGrpcEndpoint, otlpHttpEndpoint: this.otlpHttpEndpoint });
    }
}
