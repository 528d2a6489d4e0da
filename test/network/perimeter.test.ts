import { strict as assert } from "assert";
import { addressInBlock, isOpenToInternet } from "../../components/platform/cidr";
import { ports, services } from "../../components/platform/names";
import { kubernetesObjects, ofType, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { Service } from "kubernetes-models/v1/Service";
import { dependenciesOf, settingsOf, validateKubernetesObjects } from "../harness/recorded";

const securityGroupType = "aws:ec2/securityGroup:SecurityGroup";
const ingressRuleType = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const egressRuleType = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const legacyRuleType = "aws:ec2/securityGroupRule:SecurityGroupRule";
const lbAnnotation = "service.beta.kubernetes.io/aws-load-balancer";

/** Every address range an ingress path of the recording admits, with where it came from. */
function ingressSources(recording: StackRecording): { readonly where: string; readonly cidr: string }[] {
    const sources: { where: string; cidr: string }[] = [];
    const add = (where: string, cidrs: unknown) => {
        for (const cidr of ([] as unknown[]).concat(cidrs ?? [])) sources.push({ where, cidr: String(cidr) });
    };
    for (const group of ofType(recording, securityGroupType)) {
        for (const rule of group.inputs.ingress ?? []) {
            add(`${group.name} inline ingress`, rule.cidrBlocks);
            add(`${group.name} inline ingress`, rule.ipv6CidrBlocks);
        }
    }
    for (const rule of ofType(recording, ingressRuleType)) {
        add(rule.name, rule.inputs.cidrIpv4);
        add(rule.name, rule.inputs.cidrIpv6);
    }
    for (const rule of ofType(recording, legacyRuleType).filter((r) => r.inputs.type === "ingress")) {
        add(rule.name, rule.inputs.cidrBlocks);
        add(rule.name, rule.inputs.ipv6CidrBlocks);
    }
    for (const service of kubernetesObjects(recording, "core/v1", "Service")) {
        add(`Service ${service.inputs.metadata.name}`, service.inputs.spec?.loadBalancerSourceRanges);
        const annotated = service.inputs.metadata.annotations?.["service.beta.kubernetes.io/load-balancer-source-ranges"];
        if (annotated) add(`Service ${service.inputs.metadata.name} annotation`, String(annotated).split(","));
    }
    for (const policy of kubernetesObjects(recording, "networking.k8s.io/v1", "NetworkPolicy")) {
        for (const rule of policy.inputs.spec.ingress ?? []) {
            for (const peer of rule.from ?? []) if (peer.ipBlock) add(`NetworkPolicy ${policy.inputs.metadata.name}`, peer.ipBlock.cidr);
        }
    }
    return sources;
}

function describeRule(recording: StackRecording, rule: RecordedResource): string {
    const [group] = dependenciesOf(recording, rule, "securityGroupId");
    const peer = rule.inputs.cidrIpv4 ?? dependenciesOf(recording, rule, "referencedSecurityGroupId")[0]?.name ?? rule.inputs.referencedSecurityGroupId;
    return `${group.name} ${rule.inputs.ipProtocol}/${rule.inputs.fromPort} ${peer}`;
}

describe("Network perimeter", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            let recording: StackRecording;
            before(async () => {
                recording = await stackRecording(stack);
            });

            it("admits no ingress from 0.0.0.0/0 or ::/0 anywhere (security groups, rules, Services, NetworkPolicies)", () => {
                const sources = ingressSources(recording);
                assert.ok(sources.length >= 4, "the scan found the allow-lists it is meant to check");
                const open = sources.filter((s) => isOpenToInternet(s.cidr));
                assert.deepEqual(open, []);
            });

            it("describes every group and rule, manages no rule inline and never opens egress to the internet", () => {
                for (const group of ofType(recording, securityGroupType)) {
                    assert.ok(group.inputs.description?.length > 10, `${group.name} description`);
                    assert.equal(group.inputs.ingress, undefined, `${group.name} has no inline ingress`);
                    assert.equal(group.inputs.egress, undefined, `${group.name} has no inline egress`);
                }
                assert.equal(ofType(recording, legacyRuleType).length, 0);
                for (const rule of [...ofType(recording, ingressRuleType), ...ofType(recording, egressRuleType)]) {
                    assert.ok(rule.inputs.description?.length > 10, `${rule.name} description`);
                    assert.notEqual(rule.inputs.ipProtocol, "-1", `${rule.name} names a protocol`);
                    assert.equal(rule.inputs.fromPort, rule.inputs.toPort, `${rule.name} opens one port`);
                    assert.ok(!isOpenToInternet(rule.inputs.cidrIpv4 ?? "") && rule.inputs.cidrIpv6 === undefined, `${rule.name} stays off the internet`);
                }
            });

            it("opens exactly the intended paths: VPN -> Grafana NLB 443, app networks -> OTLP NLB 4317, nodes -> AWS endpoints 443 (and MSK 9096 when distributed)", () => {
                const settings = settingsOf(recording);
                const vpc = settings.network.vpcCidr;
                const resolver = `${addressInBlock(vpc, 2)}/32`;
                const actual = {
                    ingress: ofType(recording, ingressRuleType).map((r) => describeRule(recording, r)).sort(),
                    egress: ofType(recording, egressRuleType).map((r) => describeRule(recording, r)).sort(),
                };
                const expected = {
                    ingress: [
                        `tracing-grafana-nlb tcp/${ports.https} tracing-client-vpn`,
                        ...settings.network.appOtlpCidrs.map((cidr) => `tracing-gateway-nlb tcp/${ports.otlpGrpc} ${cidr}`),
                        `tracing-aws-endpoints tcp/${ports.https} ${settings.cluster.nodeSecurityGroupId}`,
                        ...(settings.tempo.mode === "distributed" ? [`tempo-kafka-brokers tcp/${ports.kafkaTlsSasl} ${settings.cluster.nodeSecurityGroupId}`] : []),
                    ].sort(),
                    egress: [
                        `tracing-client-vpn tcp/${ports.https} tracing-grafana-nlb`,
                        `tracing-client-vpn udp/${ports.dns} ${resolver}`,
                        `tracing-client-vpn tcp/${ports.dns} ${resolver}`,
                        `tracing-grafana-nlb tcp/${ports.grafanaHttps} ${vpc}`,
                        `tracing-gateway-nlb tcp/${ports.otlpGrpc} ${vpc}`,
                    ].sort(),
                };
                assert.deepEqual(actual, expected);
                // The VPN client CIDR never appears: Client VPN source-NATs to its interfaces.
                const cidrs = [...ofType(recording, ingressRuleType), ...ofType(recording, egressRuleType)].map((r) => r.inputs.cidrIpv4);
                assert.ok(!cidrs.includes(settings.network.vpnClientCidr));
                for (const group of ofType(recording, securityGroupType)) assert.equal(group.inputs.vpcId, settings.network.vpcId);
            });

            it("exposes only Grafana and the gateway's OTLP port, each through an internal NLB restricted to its allow-list", () => {
                const settings = settingsOf(recording);
                const exposed = kubernetesObjects(recording, "core/v1", "Service").filter((s) => ["LoadBalancer", "NodePort"].includes(s.inputs.spec?.type));
                assert.deepEqual(exposed.map((s) => `${s.inputs.metadata.namespace}/${s.inputs.metadata.name}`).sort(), [
                    `${services.gatewayExternal.namespace}/${services.gatewayExternal.name}`,
                    `${services.grafana.namespace}/${services.grafana.name}`,
                ]);
                const expectations: Record<string, { group: string; ranges: readonly string[]; port: number; targetPort: number; app: string; preserve: string }> = {
                    [services.grafana.name]: { group: "tracing-grafana-nlb", ranges: [settings.network.vpcCidr], port: 443, targetPort: ports.grafanaHttps, app: "grafana", preserve: "false" },
                    [services.gatewayExternal.name]: { group: "tracing-gateway-nlb", ranges: settings.network.appOtlpCidrs, port: 4317, targetPort: ports.otlpGrpc, app: "otel-gateway", preserve: "true" },
                };
                assert.ok(validateKubernetesObjects(recording, "core/v1", "Service", Service) >= 2);
                for (const service of exposed) {
                    const expected = expectations[service.inputs.metadata.name];
                    const { annotations } = service.inputs.metadata;
                    const { spec } = service.inputs;
                    assert.equal(spec.type, "LoadBalancer");
                    assert.equal(spec.loadBalancerClass, "service.k8s.aws/nlb");
                    assert.equal(spec.allocateLoadBalancerNodePorts, false, "no NodePorts on the nodes");
                    assert.deepEqual(spec.loadBalancerSourceRanges, expected.ranges);
                    assert.deepEqual(spec.selector, { "app.kubernetes.io/name": expected.app });
                    assert.deepEqual(spec.ports.map((p: any) => [p.port, p.targetPort, p.protocol]), [[expected.port, expected.targetPort, "TCP"]]);
                    assert.equal(annotations[`${lbAnnotation}-scheme`], "internal");
                    assert.equal(annotations[`${lbAnnotation}-nlb-target-type`], "ip");
                    assert.equal(annotations[`${lbAnnotation}-subnets`], settings.network.privateSubnetIds.join(","));
                    assert.equal(annotations[`${lbAnnotation}-target-group-attributes`], `preserve_client_ip.enabled=${expected.preserve}`);
                    const [group] = dependenciesOf(recording, service, "metadata").filter((r) => r.type === securityGroupType);
                    assert.equal(group?.name, expected.group);
                    assert.equal(annotations[`${lbAnnotation}-security-groups`], `${expected.group}-id`);
                }
            });

            it("health-checks each NLB target on the port it serves, so a target whose listener fails is taken out of service", () => {
                // AWS Load Balancer Controller service annotations: healthcheck-protocol / -port ("traffic-port"
                // is the target port) / -path. A check on the collector's health_check extension stays green
                // while the OTLP receiver is down; a TCP connect to the OTLP port fails with it.
                const check = (name: string) => {
                    const service = kubernetesObjects(recording, "core/v1", "Service").find((s) => s.inputs.metadata.name === name)!;
                    const annotations = service.inputs.metadata.annotations;
                    return [annotations[`${lbAnnotation}-healthcheck-protocol`], annotations[`${lbAnnotation}-healthcheck-port`], annotations[`${lbAnnotation}-healthcheck-path`]];
                };
                assert.deepEqual(check(services.gatewayExternal.name), ["tcp", "traffic-port", undefined]);
                assert.deepEqual(check(services.grafana.name), ["https", "traffic-port", "/api/health"]);
            });
        });
    }
});
