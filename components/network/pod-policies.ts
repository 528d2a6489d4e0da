import * as aws from "../platform/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterService } from "./egress-routes";
import { baselineSpec, describeRefused, networkPolicyMetadata, networkPolicySlots, planNetworkPolicies } from "./pod-policy-plan";
import type { Destination } from "../platform/destinations";
import { platformNamespaceKey, type PlatformNamespace, type WorkloadKey } from "../platform/names";

export interface PlatformNetworkPoliciesArgs {
    /** Environment name (label on every policy). */
    readonly environment: string;
    /** Region of the VPC: its S3 prefix list and the AWS endpoints the workloads may reach. */
    readonly region: string;
    readonly vpcCidr: string;
    /** The cluster's service CIDR; the Kubernetes API's ClusterIP is its first host. */
    readonly kubernetesServiceCidr: string;
    /** Application networks allowed to send OTLP through the gateway's NLB. */
    readonly appOtlpCidrs: readonly string[];
    /** Label marking application namespaces that may send OTLP to the agents. */
    readonly appNamespaceLabel: { readonly key: string; readonly value: string };
    /** What each workload's rendered configuration dials (the workload components read it from their configs). */
    readonly destinations: Readonly<Record<WorkloadKey, pulumi.Input<Destination[]>>>;
    /** The platform's Services, which workloads dial by name. */
    readonly services: readonly k8s.core.v1.Service[];
    /** Where Grafana's single sign-on reaches the identity provider: its token and user-info hosts and their address blocks. */
    readonly identityProvider: { readonly hosts: readonly string[]; readonly cidrs: readonly string[] };
    /** The platform namespaces; each policy waits for its namespace. */
    readonly namespaces: Readonly<Record<PlatformNamespace, k8s.core.v1.Namespace>>;
}

/** A Service as the plan sees it, once the cluster holds it. */
function clusterService(service: k8s.core.v1.Service): pulumi.Output<ClusterService> {
    return pulumi.all([service.metadata, service.spec]).apply(([metadata, spec]) => ({
        name: metadata.name,
        namespace: metadata.namespace,
        selector: spec.selector ?? {},
        headless: spec.clusterIP === "None",
        ports: (spec.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol })),
    }));
}

/**
 * The NetworkPolicies of every platform namespace (default deny, DNS, then per workload exactly
 * what its configuration dials; see pod-policy-plan.ts). They take effect only where the CNI
 * enforces them: on EKS, the VPC CNI with network policy enabled. Tempo's S3 egress is the
 * region's S3 managed prefix list, read from EC2 at deploy time, so it follows AWS's changes.
 */
export class PlatformNetworkPolicies extends pulumi.ComponentResource {
    /** Every NetworkPolicy created, in plan order. */
    public readonly policies: readonly k8s.networking.v1.NetworkPolicy[];

    constructor(name: string, args: PlatformNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:kubernetes:PlatformNetworkPolicies", name, args, opts);
        const s3PrefixList = aws.ec2.getManagedPrefixListOutput({ name: `com.amazonaws.${args.region}.s3` }, { parent: this });
        const plan = pulumi
            .all([pulumi.all(args.destinations) as pulumi.Output<Record<WorkloadKey, Destination[]>>, pulumi.all(args.services.map(clusterService)), s3PrefixList.entries])
            .apply(([destinations, services, entries]) =>
                planNetworkPolicies({
                    environment: args.environment,
                    region: args.region,
                    vpcCidr: args.vpcCidr,
                    kubernetesServiceCidr: args.kubernetesServiceCidr,
                    appOtlpCidrs: args.appOtlpCidrs,
                    appNamespaceLabel: args.appNamespaceLabel,
                    s3Cidrs: entries.map((entry) => entry.cidr),
                    services,
                    identityProvider: args.identityProvider,
                    destinations,
                }),
            );
        plan.apply((p) => describeRefused(p).forEach((line) => pulumi.log.warn(`no NetworkPolicy admits this: ${line}`, this)));

        this.policies = networkPolicySlots().map((slot, index) => {
            const key = platformNamespaceKey(slot.namespace);
            return new k8s.networking.v1.NetworkPolicy(
                `${name}-${key}-${slot.name}`,
                {
                    metadata: { ...networkPolicyMetadata(slot, args.environment), namespace: args.namespaces[key].metadata.name },
                    // The baseline needs nothing resolved: default deny exists as soon as the namespace does.
                    spec: (slot.workload ? plan.apply((p) => p.policies[index].spec) : baselineSpec(slot.name)) as pulumi.Input<k8s.types.input.networking.v1.NetworkPolicySpec>,
                },
                { parent: this },
            );
        });
        this.registerOutputs({});
    }
}
