import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { platformNamespaceKey, ports, services, standardLabels, workloads, type PlatformNamespace, type ServiceKey, type WorkloadKey } from "../platform/names";

export interface InternalEndpointsArgs {
    /** Environment name (labels). */
    readonly environment: string;
    /** The VPC CIDR: the only addresses Grafana's load balancer ever sees (see below). */
    readonly vpcCidr: string;
    /** Application networks allowed to send OTLP to the gateway's load balancer. */
    readonly appOtlpCidrs: readonly string[];
    /** Private subnets the load balancers are placed in. */
    readonly privateSubnetIds: readonly string[];
    /** DNS name users open Grafana at (ExternalDNS, when present, publishes it). */
    readonly grafanaHostname: string;
    /** Frontend security group of Grafana's NLB (admits the Client VPN only). */
    readonly grafanaLoadBalancerSecurityGroupId: pulumi.Input<string>;
    /** Frontend security group of the gateway's NLB (admits appOtlpCidrs only). */
    readonly gatewayLoadBalancerSecurityGroupId: pulumi.Input<string>;
    /** The platform namespaces the Services live in. */
    readonly namespaces: Readonly<Record<PlatformNamespace, k8s.core.v1.Namespace>>;
}

interface LoadBalancerSpec {
    readonly service: ServiceKey;
    readonly workload: WorkloadKey;
    readonly portName: string;
    readonly port: number;
    readonly targetPort: number;
    readonly sourceRanges: readonly string[];
    readonly securityGroupId: pulumi.Input<string>;
    /** Pass client addresses through to the pods (so NetworkPolicies can check them). */
    readonly preserveClientIp: boolean;
    /** Target health check; without a path it is a TCP connect. */
    readonly healthCheck: { readonly protocol: "https" | "tcp"; readonly port: string; readonly path?: string };
    readonly extraAnnotations?: Readonly<Record<string, string>>;
}

const annotationPrefix = "service.beta.kubernetes.io/aws-load-balancer";

/**
 * The only Kubernetes Services reachable from outside the cluster, both internal Network Load
 * Balancers of the AWS Load Balancer Controller with IP targets (no NodePorts are allocated):
 *
 *  - Grafana: 443 -> Grafana's HTTPS port. The NLB's security group admits only the Client VPN
 *    endpoint's group. `loadBalancerSourceRanges` is the VPC CIDR, not the VPN client CIDR,
 *    because Client VPN source-NATs users to its interfaces in the VPC: the client CIDR never
 *    arrives. (The controller applies source ranges only to security groups it creates; with our
 *    own frontend group the field is the declared allow-list and the fallback if the group
 *    annotation is ever removed.)
 *  - Gateway OTLP: 4317 -> the gateways' OTLP/gRPC port, `loadBalancerSourceRanges` = appOtlpCidrs,
 *    client addresses preserved so the gateways' NetworkPolicy checks the same allow-list.
 *
 * TLS passes through (TCP listeners): Grafana and the gateways terminate it with their own
 * certificates, so the load balancers never see plaintext. Users reach Grafana by its configured
 * hostname (in its certificate). OTLP senders outside the cluster dial the NLB, whose DNS name AWS
 * assigns, so they set the TLS server name to the Service's name (`otel-gateway-otlp.tracing-
 * collectors.svc`, in the gateway certificate) and trust the platform CA (stack output).
 */
export class InternalEndpoints extends pulumi.ComponentResource {
    /** Grafana's internal load balancer Service. */
    public readonly grafana: k8s.core.v1.Service;
    /** The gateways' internal OTLP load balancer Service. */
    public readonly gatewayOtlp: k8s.core.v1.Service;

    private readonly resourceName: string;

    constructor(name: string, args: InternalEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:kubernetes:InternalEndpoints", name, args, opts);
        this.resourceName = name;

        this.grafana = this.loadBalancer(args, {
            service: "grafana",
            workload: "grafana",
            portName: "https",
            port: ports.https,
            targetPort: ports.grafanaHttps,
            sourceRanges: [args.vpcCidr],
            securityGroupId: args.grafanaLoadBalancerSecurityGroupId,
            preserveClientIp: false,
            healthCheck: { protocol: "https", port: "traffic-port", path: "/api/health" },
            extraAnnotations: { "external-dns.alpha.kubernetes.io/hostname": args.grafanaHostname },
        });
        this.gatewayOtlp = this.loadBalancer(args, {
            service: "gatewayExternal",
            workload: "gateway",
            portName: "otlp-grpc",
            port: ports.otlpGrpc,
            targetPort: ports.otlpGrpc,
            sourceRanges: args.appOtlpCidrs,
            securityGroupId: args.gatewayLoadBalancerSecurityGroupId,
            preserveClientIp: true,
            // On the OTLP port itself: the collector's health endpoint stays green while the OTLP
            // listener is down, and the NLB would keep sending senders to a gateway that refuses them.
            healthCheck: { protocol: "tcp", port: "traffic-port" },
        });
        this.registerOutputs({});
    }

    private loadBalancer(args: InternalEndpointsArgs, spec: LoadBalancerSpec): k8s.core.v1.Service {
        const { name: serviceName, namespace } = services[spec.service];
        return new k8s.core.v1.Service(
            `${this.resourceName}-${spec.service}`,
            {
                metadata: {
                    name: serviceName,
                    namespace: args.namespaces[platformNamespaceKey(namespace)].metadata.name,
                    labels: standardLabels(workloads[spec.workload].name, args.environment, "internal-load-balancer"),
                    annotations: {
                        [`${annotationPrefix}-scheme`]: "internal",
                        [`${annotationPrefix}-nlb-target-type`]: "ip",
                        [`${annotationPrefix}-subnets`]: args.privateSubnetIds.join(","),
                        [`${annotationPrefix}-security-groups`]: pulumi.output(spec.securityGroupId),
                        // With our own frontend group the controller still opens the pods' side.
                        [`${annotationPrefix}-manage-backend-security-group-rules`]: "true",
                        [`${annotationPrefix}-target-group-attributes`]: `preserve_client_ip.enabled=${spec.preserveClientIp}`,
                        [`${annotationPrefix}-healthcheck-protocol`]: spec.healthCheck.protocol,
                        [`${annotationPrefix}-healthcheck-port`]: spec.healthCheck.port,
                        ...(spec.healthCheck.path ? { [`${annotationPrefix}-healthcheck-path`]: spec.healthCheck.path } : {}),
                        ...spec.extraAnnotations,
                    },
                },
                spec: {
                    type: "LoadBalancer",
                    loadBalancerClass: "service.k8s.aws/nlb",
                    allocateLoadBalancerNodePorts: false,
                    loadBalancerSourceRanges: [...spec.sourceRanges],
                    selector: { "app.kubernetes.io/name": workloads[spec.workload].name },
                    ports: [{ name: spec.portName, protocol: "TCP", port: spec.port, targetPort: spec.targetPort }],
                },
            },
            { parent: this },
        );
    }
}
