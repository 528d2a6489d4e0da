import { strict as assert } from "assert";
import { identityProviderPolicyName } from "../../components/network/identity-provider-egress";
import { allowedFlows, describeFlow, type ClusterModel, type Endpoint, type NetworkPolicyManifest } from "../../components/network/policy-graph";
import { addressInBlock, addressInCidr } from "../../components/platform/cidr";
import { namespaces, ports, standardLabels, workloads, type WorkloadKey } from "../../components/platform/names";
import { kubernetesObjects, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { settingsOf } from "../harness/recorded";

const https = { port: ports.https, protocol: "TCP" as const };

/** The first address after a block: just outside the IdP's range. */
function addressAfter(cidr: string): string {
    const [address, prefix] = cidr.split("/");
    const next = address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0) + 2 ** (32 - Number(prefix));
    return [24, 16, 8, 0].map((shift) => Math.floor(next / 2 ** shift) % 256).join(".");
}

function recordedPolicies(recording: StackRecording): NetworkPolicyManifest[] {
    return kubernetesObjects(recording, "networking.k8s.io/v1", "NetworkPolicy").map((r) => ({ metadata: r.inputs.metadata, spec: r.inputs.spec }));
}

/** Every platform pod, the cluster DNS, and hosts in, beside and far from the IdP's address blocks. */
function model(recording: StackRecording): ClusterModel {
    const settings = settingsOf(recording);
    const pod = (workload: WorkloadKey): Endpoint => ({
        kind: "pod",
        id: workload,
        namespace: workloads[workload].namespace,
        labels: standardLabels(workloads[workload].name, settings.environment),
        ports: [],
    });
    const idpHosts = settings.identity.grafana.providerCidrs.flatMap((cidr, i): Endpoint[] => [
        { kind: "host", id: `idp-${i}`, ip: addressInBlock(cidr, 1), ports: [https, { port: 80, protocol: "TCP" }, { port: 8443, protocol: "TCP" }] },
        { kind: "host", id: `beside-idp-${i}`, ip: addressAfter(cidr), ports: [https] },
    ]);
    return {
        policies: recordedPolicies(recording),
        namespaceLabels: { "kube-system": {} },
        endpoints: [
            ...(Object.keys(workloads) as WorkloadKey[]).map(pod),
            { kind: "pod", id: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ports: [{ port: ports.dns, protocol: "UDP" }] },
            ...idpHosts,
            { kind: "host", id: "internet", ip: "93.184.216.34", ports: [https] },
        ],
    };
}

describe("Grafana's egress to the identity provider", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            let recording: StackRecording;
            before(async () => {
                recording = await stackRecording(stack);
            });

            it("is one Egress-only policy for the Grafana pods: HTTPS to the configured IdP blocks, nothing else", () => {
                const settings = settingsOf(recording);
                const policies = recordedPolicies(recording).filter((p) => p.metadata.name === identityProviderPolicyName);
                assert.equal(policies.length, 1);
                const [policy] = policies;
                assert.equal(policy.metadata.namespace, namespaces.grafana);
                assert.deepEqual(policy.spec.podSelector, { matchLabels: { "app.kubernetes.io/name": workloads.grafana.name } });
                assert.deepEqual(policy.spec.policyTypes, ["Egress"]);
                assert.equal(policy.spec.ingress, undefined);
                assert.deepEqual(policy.spec.egress, [
                    { to: settings.identity.grafana.providerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: ports.https }] },
                ]);
                assert.match(policy.metadata.annotations!["tracing.platform/purpose"], new RegExp(settings.identity.grafana.issuer.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")));
                for (const cidr of settings.identity.grafana.providerCidrs) {
                    assert.ok(!addressInCidr("93.184.216.34", cidr) && !addressInCidr(addressAfter(cidr), cidr), "the modelled other hosts are outside the IdP blocks");
                }
            });

            it("lets Grafana, and only Grafana, reach the IdP on 443; the port beside it, the next address and the internet stay closed", () => {
                const cluster = model(recording);
                // Hosts and kube-system are not the platform's to isolate: what the platform's pods may open is.
                const pods = new Set<string>(Object.keys(workloads));
                const flows = allowedFlows(cluster).filter((f) => pods.has(f.from)).map(describeFlow);
                const toIdp = flows.filter((f) => / -> (beside-)?idp-\d+:/.test(f) || / -> internet:/.test(f)).sort();
                const expected = recordingIdpFlows(recording);
                assert.deepEqual(toIdp, expected);
            });
        });
    }
});

function recordingIdpFlows(recording: StackRecording): string[] {
    return settingsOf(recording)
        .identity.grafana.providerCidrs.map((_, i) => `grafana -> idp-${i}:${ports.https}/TCP`)
        .sort();
}
