/**
 * Grafana's egress to the OpenID Connect provider, kept apart from the architecture's flows
 * (pod-policy-plan.ts) because its addresses belong to the identity provider, not the platform.
 *
 * Grafana's server calls the provider's token endpoint (to redeem the sign-in code) and its
 * user-info endpoint; the authorization endpoint is opened by people's browsers, outside the
 * cluster, and the ID token arrives in the token response over TLS, so Grafana fetches no key set.
 * NetworkPolicies cannot name hosts, so this policy opens HTTPS (443) to the provider's configured
 * address blocks (grafanaIdpCidrs) and nothing else. An egress proxy would allow host names, but it
 * would be one more workload with internet egress of its own; a self-hosted or private-linked IdP
 * has stable addresses that fit a CIDR list. Policies are additive: this one only adds to the
 * Grafana policy, whose default-deny baseline still closes every other destination.
 */
import { namespaces, partOf, ports, workloads } from "../platform/names";
import type { NetworkPolicyManifest } from "./policy-graph";

export interface IdentityProviderEgressInput {
    /** Environment name (label on the policy). */
    readonly environment: string;
    /** Address blocks of the provider's token and user-info endpoints. */
    readonly providerCidrs: readonly string[];
    /** The provider's issuer, recorded on the policy so a reader knows whose addresses these are. */
    readonly issuer: string;
}

export const identityProviderPolicyName = "grafana-identity-provider";

export function identityProviderEgressPolicy(input: IdentityProviderEgressInput): NetworkPolicyManifest {
    const grafana = { matchLabels: { "app.kubernetes.io/name": workloads.grafana.name } };
    return {
        metadata: {
            name: identityProviderPolicyName,
            namespace: namespaces.grafana,
            labels: { "app.kubernetes.io/part-of": partOf, "app.kubernetes.io/managed-by": "pulumi", environment: input.environment },
            annotations: {
                "tracing.platform/purpose": `Grafana to the OpenID provider's token and user-info endpoints (${input.issuer}) over HTTPS`,
            },
        },
        spec: {
            podSelector: grafana,
            policyTypes: ["Egress"],
            egress: [{ to: input.providerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: ports.https }] }],
        },
    };
}
