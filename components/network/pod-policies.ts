import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { identityProviderEgressPolicy, type IdentityProviderEgressInput } from "./identity-provider-egress";
import { platformNetworkPolicies, type NetworkPolicyPlanInput } from "./pod-policy-plan";
import { platformNamespaceKey, type PlatformNamespace } from "../platform/names";

export interface PlatformNetworkPoliciesArgs {
    /** Allow-lists, label selector and Tempo mode the policies are built from. */
    readonly plan: NetworkPolicyPlanInput;
    /** Where Grafana's server reaches the OpenID provider (a policy of its own, see identity-provider-egress.ts). */
    readonly identityProvider: IdentityProviderEgressInput;
    /** The platform namespaces; each policy waits for its namespace. */
    readonly namespaces: Readonly<Record<PlatformNamespace, k8s.core.v1.Namespace>>;
}

/**
 * The NetworkPolicies of every platform namespace (default deny, then the architecture's flows;
 * see pod-policy-plan.ts), plus Grafana's egress to the identity provider. They take effect only
 * where the CNI enforces them: on EKS, the VPC CNI with network policy enabled.
 */
export class PlatformNetworkPolicies extends pulumi.ComponentResource {
    /** Every NetworkPolicy created, in plan order. */
    public readonly policies: readonly k8s.networking.v1.NetworkPolicy[];

    constructor(name: string, args: PlatformNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:kubernetes:PlatformNetworkPolicies", name, args, opts);
        this.policies = [...platformNetworkPolicies(args.plan), identityProviderEgressPolicy(args.identityProvider)].map((policy) => {
            const key = platformNamespaceKey(policy.metadata.namespace);
            return new k8s.networking.v1.NetworkPolicy(
                `${name}-${key}-${policy.metadata.name}`,
                {
                    metadata: { ...policy.metadata, namespace: args.namespaces[key].metadata.name },
                    spec: policy.spec as k8s.types.input.networking.v1.NetworkPolicySpec,
                },
                { parent: this },
            );
        });
        this.registerOutputs({});
    }
}
