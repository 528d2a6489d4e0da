/**
 * Kubernetes network exposure: nothing is reachable from outside the VPC, load balancers admit only
 * allow-listed networks, and every namespace that runs pods starts from a default-deny
 * NetworkPolicy whose allow rules name their peers.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { PolicyResource } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import type { EditableResource } from "../resource-shape";
import { effectiveAllowList, isAllowListed, isOpenCidr } from "./lib/cidrs";
import { rulesFor } from "./lib/define";
import { kubernetesTypes, metadataOf, objectLabel, workloadTypes } from "./lib/kubernetes";
import { addSibling, ensurePath, mutation, pick, remove } from "./lib/mutate";
import { asList, isSet, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

type ServiceInputs = Unwrap<k8s.core.v1.ServiceArgs>;
type IngressInputs = Unwrap<k8s.networking.v1.IngressArgs>;
type NetworkPolicyInputs = Unwrap<k8s.networking.v1.NetworkPolicyArgs>;

const { resourceRule, stackRule } = rulesFor("kubernetes-network");

const internalSchemeAnnotations: Readonly<Record<string, string>> = {
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
};

function isInternalLoadBalancer(annotations: Record<string, string> | undefined): boolean {
    return Object.entries(internalSchemeAnnotations).some(([key, value]) => annotations?.[key] === value);
}

/** For mutations: the first Service of type LoadBalancer, if any. */
function firstLoadBalancerService(resources: EditableResource[]): EditableResource | undefined {
    return resources.find((r) => kubernetesTypes.service.includes(r.type) && r.inputs.spec?.type === "LoadBalancer");
}

const servicesNotPublic = resourceRule({
    name: "kubernetes-services-not-public",
    description:
        "Nothing in the cluster is reachable from outside the VPC: no NodePort Services or externalIPs, load balancers " +
        "only internal. Fix: use ClusterIP, or type LoadBalancer with service.beta.kubernetes.io/aws-load-balancer-scheme: " +
        "internal (Ingress: alb.ingress.kubernetes.io/scheme: internal); users arrive through the Client VPN.",
    severity: "critical",
    securityRule: 3,
    controls: [],
    appliesTo: [...kubernetesTypes.service, ...kubernetesTypes.ingress],
    validate: ({ type, name, props }, report) => {
        const label = `${type.split(":")[2]} '${objectLabel(props, name)}'`;
        const annotations = metadataOf(props).annotations as Record<string, string> | undefined;
        if (kubernetesTypes.ingress.includes(type)) {
            if (annotations?.["alb.ingress.kubernetes.io/scheme"] !== "internal") report(`${label} is not an internal load balancer; annotate alb.ingress.kubernetes.io/scheme: internal.`);
            return;
        }
        const spec = (props as ServiceInputs).spec;
        if (spec?.type === "NodePort") report(`${label} is a NodePort Service, reachable on every node; use ClusterIP or an internal load balancer.`);
        if (spec?.type === "LoadBalancer" && !isInternalLoadBalancer(annotations)) {
            report(`${label} is an internet-facing load balancer; annotate service.beta.kubernetes.io/aws-load-balancer-scheme: internal.`);
        }
        if (stringList(spec?.externalIPs).length > 0) report(`${label} sets externalIPs.`);
    },
    violate: mutation("make the first load balancer Service internet-facing", (resources) => {
        const balancer = firstLoadBalancerService(resources);
        if (balancer) {
            for (const key of Object.keys(internalSchemeAnnotations)) delete balancer.inputs.metadata?.annotations?.[key];
            return;
        }
        ensurePath(pick(resources, kubernetesTypes.service, "Service").inputs, ["spec"]).type = "NodePort";
    }),
});

const loadBalancersAllowListed = resourceRule<{ allowedCidrs: string[] }>({
    name: "kubernetes-load-balancers-allow-listed",
    description:
        "Every load balancer admits only allow-listed source networks (the VPN client range for Grafana, application " +
        "networks for OTLP). Fix: set spec.loadBalancerSourceRanges (Ingress: alb.ingress.kubernetes.io/inbound-cidrs) " +
        "to CIDRs from the allow-list.",
    severity: "high",
    securityRule: 2,
    controls: [],
    config: {
        allowedCidrs: { type: "array", items: { type: "string" }, default: [], description: "Source networks load balancers may admit (default: private address space)." },
    },
    appliesTo: [...kubernetesTypes.service, ...kubernetesTypes.ingress],
    validate: ({ type, name, props, config }, report) => {
        const label = `${type.split(":")[2]} '${objectLabel(props, name)}'`;
        let ranges: string[];
        if (kubernetesTypes.ingress.includes(type)) {
            const annotation = (props as IngressInputs).metadata?.annotations?.["alb.ingress.kubernetes.io/inbound-cidrs"];
            ranges = (annotation ?? "").split(",").map((c) => c.trim()).filter(isSet);
        } else {
            const spec = (props as ServiceInputs).spec;
            if (spec?.type !== "LoadBalancer") return;
            ranges = stringList(spec.loadBalancerSourceRanges);
        }
        const allowList = effectiveAllowList(config.allowedCidrs);
        if (ranges.length === 0) report(`${label} admits any source; set its source ranges to the allow-list.`);
        for (const range of ranges) {
            if (isOpenCidr(range) || !isAllowListed(range, allowList)) report(`${label} admits ${range}, outside the allow-list ${allowList.join(", ")}.`);
        }
    },
    violate: mutation("open the first load balancer to 0.0.0.0/0", (resources) => {
        const balancer = firstLoadBalancerService(resources);
        if (balancer) {
            balancer.inputs.spec.loadBalancerSourceRanges = ["0.0.0.0/0"];
            return;
        }
        ensurePath(pick(resources, kubernetesTypes.ingress, "load balancer Service or Ingress").inputs, ["metadata", "annotations"])["alb.ingress.kubernetes.io/inbound-cidrs"] = "0.0.0.0/0";
    }),
});

/** True for a NetworkPolicy that selects every pod and allows nothing in or out. */
function isDefaultDeny(props: Record<string, any>): boolean {
    const spec = (props as NetworkPolicyInputs).spec;
    if (!spec) return false;
    const selector = spec.podSelector ?? {};
    const selectsAll = Object.keys(selector.matchLabels ?? {}).length === 0 && asList(selector.matchExpressions).length === 0;
    const policyTypes = stringList(spec.policyTypes);
    return selectsAll && policyTypes.includes("Ingress") && policyTypes.includes("Egress") && asList(spec.ingress).length === 0 && asList(spec.egress).length === 0;
}

const defaultDenyPerNamespace = stackRule({
    name: "kubernetes-namespaces-default-deny-network-policy",
    description:
        "Every namespace that runs pods has a default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress], " +
        "no rules), so only explicitly allowed flows exist. Fix: add that NetworkPolicy to the namespace, then allow flows " +
        "one by one.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV2_K8S_6", "CIS Kubernetes 5.3.2"],
    appliesTo: workloadTypes,
    validate: ({ view }, report) => {
        const denied = new Set<string>();
        view.each(view.ofType(kubernetesTypes.networkPolicy), (policy) => {
            if (isDefaultDeny(policy.props)) denied.add(metadataOf(policy.props).namespace ?? "default");
        });
        const reported = new Set<string>();
        view.each(view.ofType(workloadTypes), (workload) => {
            const namespace = metadataOf(workload.props).namespace ?? "default";
            if (denied.has(namespace) || reported.has(namespace)) return;
            reported.add(namespace);
            const namespaceResource = view.ofType(kubernetesTypes.namespace).find((n: PolicyResource) => metadataOf(n.props).name === namespace);
            report(`namespace '${namespace}' runs pods but has no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress]).`, (namespaceResource ?? workload).urn);
        });
    },
    violate: mutation("delete the default-deny NetworkPolicy of a namespace that runs pods", (resources) => {
        const namespaces = new Set(resources.filter((r) => workloadTypes.includes(r.type)).map((r) => metadataOf(r.inputs).namespace ?? "default"));
        remove(resources, "default-deny NetworkPolicy", (r) => kubernetesTypes.networkPolicy.includes(r.type) && isDefaultDeny(r.inputs) && namespaces.has(metadataOf(r.inputs).namespace ?? "default"));
    }),
});

const networkPoliciesScoped = resourceRule<{ allowedCidrs: string[] }>({
    name: "kubernetes-network-policies-scoped",
    description:
        "NetworkPolicy allow rules name their peers: every ingress rule has sources (pod/namespace selectors or " +
        "allow-listed CIDRs, never 0.0.0.0/0), and egress to everywhere is limited to named ports. Fix: add from/to " +
        "selectors or allow-listed ipBlocks and ports to each rule.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV2_K8S_6"],
    config: {
        allowedCidrs: { type: "array", items: { type: "string" }, default: [], description: "Source networks ingress ipBlocks may name (default: private address space)." },
    },
    appliesTo: kubernetesTypes.networkPolicy,
    validate: ({ name, props, config }, report) => {
        const label = `NetworkPolicy '${objectLabel(props, name)}'`;
        const spec = (props as NetworkPolicyInputs).spec;
        const allowList = effectiveAllowList(config.allowedCidrs);
        asList(spec?.ingress).forEach((rule, index) => {
            const peers = asList(rule.from);
            if (peers.length === 0) report(`${label} ingress[${index}] admits every source; name pod/namespace selectors or allow-listed ipBlocks.`);
            for (const cidr of peers.map((peer) => peer.ipBlock?.cidr).filter(isSet)) {
                if (isOpenCidr(cidr) || !isAllowListed(cidr, allowList)) report(`${label} ingress[${index}] admits ${cidr}, outside the allow-list ${allowList.join(", ")}.`);
            }
        });
        asList(spec?.egress).forEach((rule, index) => {
            const peers = asList(rule.to);
            const everywhere = peers.length === 0 || peers.some((peer) => isSet(peer.ipBlock?.cidr) && isOpenCidr(peer.ipBlock.cidr));
            if (everywhere && asList(rule.ports).length === 0) report(`${label} egress[${index}] lets all traffic out; name destinations or ports.`);
        });
    },
    violate: mutation("admit 0.0.0.0/0 in a NetworkPolicy ingress rule", (resources) => {
        const policy = resources.find((r) => kubernetesTypes.networkPolicy.includes(r.type) && asList(r.inputs.spec?.ingress).length > 0);
        if (policy) {
            policy.inputs.spec.ingress = [...policy.inputs.spec.ingress, { from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }];
            return;
        }
        const sibling = pick(resources, kubernetesTypes.networkPolicy, "NetworkPolicy");
        addSibling(resources, sibling, sibling.type, `${sibling.name}-mutated-open`, {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { ...sibling.inputs.metadata, name: "mutated-open-ingress" },
            spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] },
        });
    }),
});

export const kubernetesNetworkRules: readonly RuleDefinition[] = [servicesNotPublic, loadBalancersAllowListed, defaultDenyPerNamespace, networkPoliciesScoped];
