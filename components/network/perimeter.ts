import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { ec2Description } from "../platform/aws-constraints";
import { addressInBlock } from "../platform/cidr";
import { logsEndpointPolicy, prometheusEndpointPolicy, s3GatewayEndpointPolicy, snsEndpointPolicy } from "./endpoint-policies";
import { logGroupArn, snsTopicArn, type PolicyDocument } from "../platform/iam-policy";
import { awsResourceNames, ports } from "../platform/names";
import type { Settings } from "../platform/settings";

export interface NetworkPerimeterArgs {
    /** Environment name, used in security group names. */
    readonly environment: string;
    /** Account the platform runs in (endpoint policies keep other accounts off the platform's resources). */
    readonly accountId: string;
    /** Region of the VPC. */
    readonly region: string;
    /** The VPC, its subnets, route tables and the allow-lists from config. */
    readonly network: Settings["network"];
    /** Security group of the EKS worker nodes; pods on the VPC CNI send from it. */
    readonly nodeSecurityGroupId: string;
    /** The platform's Managed Prometheus workspace (the policy of an endpoint the platform creates protects it). */
    readonly metricsWorkspaceArn: pulumi.Input<string>;
}

type Direction = "ingress" | "egress";

/** The id of the endpoint named in settings, or of the one created when none is. */
function reuseOrCreate(existingId: string | undefined, create: () => aws.ec2.VpcEndpoint): pulumi.Output<string> {
    return existingId ? pulumi.output(existingId) : create().id;
}

interface RuleSpec {
    /** Short id, unique within the component, part of the resource name. */
    readonly id: string;
    readonly direction: Direction;
    readonly securityGroupId: pulumi.Input<string>;
    readonly protocol: "tcp" | "udp";
    readonly port: number;
    /** The other side: a CIDR block or a security group. */
    readonly peer: { readonly cidr: string } | { readonly securityGroupId: pulumi.Input<string> };
    /** Why the rule exists (AWS shows it next to the rule). */
    readonly description: string;
}

/**
 * The platform's AWS firewall and private paths to AWS services:
 *
 *  - security groups for the Client VPN endpoint, Grafana's internal NLB, the gateway's internal
 *    OTLP NLB and the interface endpoints. Every rule is a separate, described resource (never
 *    inline, never 0.0.0.0/0 or ::/0); egress is explicit too, because the provider removes the
 *    allow-all egress rule AWS adds to a new group.
 *  - the S3 gateway endpoint on the private route tables, and interface endpoints (private DNS)
 *    for Managed Prometheus, SNS and CloudWatch Logs, so Tempo's blocks, the gateway's remote
 *    write and log shipping, Grafana's queries and Grafana's alert notifications stay inside the
 *    VPC (the interface endpoints'
 *    addresses are in the VPC CIDR, which is all those NetworkPolicies allow on 443).
 *    An EKS VPC often has these already, and AWS refuses a second one: a route table takes one
 *    route per gateway endpoint service ("you cannot have multiple endpoint routes to the same
 *    service in a single route table", Amazon VPC User Guide, Gateway VPC endpoints, Routing), and
 *    a second private-DNS interface endpoint for a service fails with "private-dns-enabled cannot
 *    be set because there is already a conflicting DNS domain" (AWS re:Post knowledge center,
 *    vpc-interface-endpoint-domain-conflict). So an endpoint named in settings
 *    (network.existingEndpointIds) is reused as it is, its policy untouched: it serves other
 *    workloads, and its owner decides what it passes. An endpoint the platform creates serves the
 *    other workloads of those route tables or of the VPC too, so its policy allows what AWS's
 *    default policy allows and only denies about the platform's own resources (endpoint-policies.ts).
 *    No STS endpoint: EKS Pod Identity hands pods credentials through the node-local agent, so
 *    pods never call STS. No eks-auth endpoint: that call is made by the cluster's Pod Identity
 *    agent on the node, which belongs to the cluster, and a second private-DNS endpoint for the
 *    same service in the VPC would conflict with the cluster's own.
 *
 * Why Grafana's NLB admits the VPN endpoint's security group rather than the VPN client CIDR:
 * Client VPN source-NATs client traffic to the address of its network interface in the associated
 * subnet ("the source IP address from the client CIDR range is translated to the Client VPN
 * network interface IP address", AWS re:Post knowledge center, client-vpn-give-users-resource-
 * access). Packets reach the NLB from VPC addresses, never from the client CIDR, and those
 * interfaces carry the endpoint's security group, so referencing that group admits exactly the
 * VPN and nothing else in the VPC.
 */
export class NetworkPerimeter extends pulumi.ComponentResource {
    /** Security group of the Client VPN endpoint's network interfaces. */
    public readonly vpnEndpointSecurityGroupId: pulumi.Output<string>;
    /** Frontend security group of Grafana's internal NLB. */
    public readonly grafanaLoadBalancerSecurityGroupId: pulumi.Output<string>;
    /** Frontend security group of the gateway's internal OTLP NLB. */
    public readonly gatewayLoadBalancerSecurityGroupId: pulumi.Output<string>;
    /** The S3 gateway endpoint, created or reused (bucket policies condition on it with aws:SourceVpce). */
    public readonly s3GatewayEndpointId: pulumi.Output<string>;
    /** The Managed Prometheus interface endpoint, created or reused. */
    public readonly prometheusEndpointId: pulumi.Output<string>;
    /** The SNS interface endpoint (Grafana's alert notifications), created or reused. */
    public readonly snsEndpointId: pulumi.Output<string>;
    /** The CloudWatch Logs interface endpoint (the gateways ship the platform's logs), created or reused. */
    public readonly logsEndpointId: pulumi.Output<string>;

    private readonly resourceName: string;

    constructor(name: string, args: NetworkPerimeterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:network:NetworkPerimeter", name, args, opts);
        this.resourceName = name;
        const { network, environment } = args;
        const reused = network.existingEndpointIds;
        const vpcResolver = `${addressInBlock(network.vpcCidr, 2)}/32`;

        const vpnSg = this.securityGroup("client-vpn", network.vpcId, `tracing-${environment}-client-vpn`,
            "Client VPN endpoint: VPN users reach the Grafana load balancer and the VPC resolver, nothing else");
        const grafanaSg = this.securityGroup("grafana-nlb", network.vpcId, `tracing-${environment}-grafana-nlb`,
            "Grafana internal NLB: HTTPS from the Client VPN only");
        const gatewaySg = this.securityGroup("gateway-nlb", network.vpcId, `tracing-${environment}-otlp-nlb`,
            "Gateway internal OTLP NLB: OTLP/gRPC from the allow-listed application networks only");

        const rules: RuleSpec[] = [
            { id: "vpn-to-grafana", direction: "egress", securityGroupId: vpnSg.id, protocol: "tcp", port: ports.https, peer: { securityGroupId: grafanaSg.id },
                description: "VPN users to the Grafana internal load balancer (HTTPS)" },
            { id: "vpn-dns-udp", direction: "egress", securityGroupId: vpnSg.id, protocol: "udp", port: ports.dns, peer: { cidr: vpcResolver },
                description: "DNS queries of VPN users to the VPC resolver" },
            { id: "vpn-dns-tcp", direction: "egress", securityGroupId: vpnSg.id, protocol: "tcp", port: ports.dns, peer: { cidr: vpcResolver },
                description: "DNS queries of VPN users to the VPC resolver (large answers)" },
            { id: "grafana-from-vpn", direction: "ingress", securityGroupId: grafanaSg.id, protocol: "tcp", port: ports.https, peer: { securityGroupId: vpnSg.id },
                description: "HTTPS from the Client VPN (source-NATed to its interfaces, which carry the VPN endpoint group)" },
            { id: "grafana-to-pods", direction: "egress", securityGroupId: grafanaSg.id, protocol: "tcp", port: ports.grafanaHttps, peer: { cidr: network.vpcCidr },
                description: "NLB to Grafana pods (IP targets in the VPC) and their health checks" },
            ...network.appOtlpCidrs.map((cidr, index): RuleSpec => ({
                id: `otlp-from-app-${index}`, direction: "ingress", securityGroupId: gatewaySg.id, protocol: "tcp", port: ports.otlpGrpc, peer: { cidr },
                description: `OTLP/gRPC from allow-listed application network ${cidr} (appOtlpCidrs)`,
            })),
            { id: "otlp-to-pods", direction: "egress", securityGroupId: gatewaySg.id, protocol: "tcp", port: ports.otlpGrpc, peer: { cidr: network.vpcCidr },
                description: "NLB to gateway pods (IP targets in the VPC) and its TCP health checks on the same port" },
        ];
        for (const rule of rules) this.rule(rule);

        // Only the interface endpoints the platform creates use this group (a reused one keeps its
        // own), so it comes with the first of them.
        let endpointSg: aws.ec2.SecurityGroup | undefined;
        const endpointSecurityGroup = (): aws.ec2.SecurityGroup => {
            if (endpointSg) return endpointSg;
            endpointSg = this.securityGroup("aws-endpoints", network.vpcId, `tracing-${environment}-aws-endpoints`,
                "Interface VPC endpoints: HTTPS from the cluster nodes and pods only");
            this.rule({ id: "endpoints-from-nodes", direction: "ingress", securityGroupId: endpointSg.id, protocol: "tcp", port: ports.https,
                peer: { securityGroupId: args.nodeSecurityGroupId }, description: "HTTPS from the cluster nodes and their pods (VPC CNI pods send from the node group)" });
            return endpointSg;
        };

        const names = awsResourceNames(environment, args.accountId, args.region);
        const s3Policy = s3GatewayEndpointPolicy({
            accountId: args.accountId,
            traceBucket: names.traceBucket,
            auditBucket: names.auditBucket,
            accessLogBucket: names.accessLogBucket,
        });
        const s3Endpoint = (): aws.ec2.VpcEndpoint =>
            new aws.ec2.VpcEndpoint(
                `${name}-s3`,
                {
                    vpcId: network.vpcId,
                    serviceName: `com.amazonaws.${args.region}.s3`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: [...network.privateRouteTableIds],
                    policy: JSON.stringify(s3Policy),
                    tags: { Name: `tracing-${environment}-s3` },
                },
                { parent: this },
            );
        const interfaceEndpoint = (service: string, policy: pulumi.Input<PolicyDocument>) => (): aws.ec2.VpcEndpoint =>
            new aws.ec2.VpcEndpoint(
                `${name}-${service}`,
                {
                    vpcId: network.vpcId,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: [...network.privateSubnetIds],
                    securityGroupIds: [endpointSecurityGroup().id],
                    policy: pulumi.jsonStringify(policy),
                    tags: { Name: `tracing-${environment}-${service}` },
                },
                { parent: this },
            );
        const prometheusPolicy = pulumi.output(args.metricsWorkspaceArn).apply((arn) => prometheusEndpointPolicy(args.accountId, arn));
        const snsPolicy = snsEndpointPolicy(args.accountId, snsTopicArn(args.region, args.accountId, names.alertTopic));
        const logsPolicy = logsEndpointPolicy(args.accountId, logGroupArn(args.region, args.accountId, names.workloadLogGroup));

        this.s3GatewayEndpointId = reuseOrCreate(reused.s3, s3Endpoint);
        this.prometheusEndpointId = reuseOrCreate(reused.aps, interfaceEndpoint("aps-workspaces", prometheusPolicy));
        this.snsEndpointId = reuseOrCreate(reused.sns, interfaceEndpoint("sns", snsPolicy));
        this.logsEndpointId = reuseOrCreate(reused.logs, interfaceEndpoint("logs", logsPolicy));
        this.vpnEndpointSecurityGroupId = vpnSg.id;
        this.grafanaLoadBalancerSecurityGroupId = grafanaSg.id;
        this.gatewayLoadBalancerSecurityGroupId = gatewaySg.id;
        this.registerOutputs({
            vpnEndpointSecurityGroupId: this.vpnEndpointSecurityGroupId,
            grafanaLoadBalancerSecurityGroupId: this.grafanaLoadBalancerSecurityGroupId,
            gatewayLoadBalancerSecurityGroupId: this.gatewayLoadBalancerSecurityGroupId,
            s3GatewayEndpointId: this.s3GatewayEndpointId,
            prometheusEndpointId: this.prometheusEndpointId,
            snsEndpointId: this.snsEndpointId,
            logsEndpointId: this.logsEndpointId,
        });
    }

    private securityGroup(id: string, vpcId: string, groupName: string, description: string): aws.ec2.SecurityGroup {
        return new aws.ec2.SecurityGroup(
            `${this.resourceName}-${id}`,
            { name: groupName, description: ec2Description(description), vpcId, tags: { Name: groupName } },
            { parent: this },
        );
    }

    private rule(spec: RuleSpec): void {
        const common = {
            securityGroupId: spec.securityGroupId,
            ipProtocol: spec.protocol,
            fromPort: spec.port,
            toPort: spec.port,
            description: ec2Description(spec.description),
            ...("cidr" in spec.peer ? { cidrIpv4: spec.peer.cidr } : { referencedSecurityGroupId: spec.peer.securityGroupId }),
        };
        const resourceName = `${this.resourceName}-${spec.id}`;
        if (spec.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(resourceName, common, { parent: this });
        else new aws.vpc.SecurityGroupEgressRule(resourceName, common, { parent: this });
    }
}
