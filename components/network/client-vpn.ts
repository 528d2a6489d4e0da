import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { addressInBlock } from "../platform/cidr";
import { EncryptedLogGroup } from "../data-plane";
import type { IssuedCertificate } from "../pki";
import type { Settings } from "../platform/settings";

export interface ClientVpnArgs {
    /** Environment name, used in resource names and the description. */
    readonly environment: string;
    /** VPC, subnets, client CIDR, session timeout and login banner from config. */
    readonly network: Settings["network"];
    /** Days CloudWatch keeps the connection log. */
    readonly logRetentionDays: number;
    /** Protect and retain the connection log group (prod): it is audit evidence. */
    readonly protectLogs: boolean;
    /** ARN of the KMS key the connection log group is encrypted with. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** The endpoint's own security group (NetworkPerimeter owns every firewall rule). */
    readonly securityGroupId: pulumi.Input<string>;
    /** Server certificate and key, signed by the VPN CA. */
    readonly serverCertificate: IssuedCertificate;
    /** The VPN CA certificate: the chain ACM stores with the server certificate. */
    readonly caCertificatePem: pulumi.Input<string>;
}

/**
 * AWS Client VPN: the only way people reach the platform (Grafana) from outside the VPC.
 *
 * - Mutual TLS: a user needs a client certificate of the environment's VPN CA. The server
 *   certificate is imported into ACM with the VPN CA as its chain, and the same ACM certificate is
 *   the client root chain: when one CA issues both server and client certificates, AWS has the
 *   server certificate's ARN serve as the client root too, so the CA's private key never leaves
 *   Pulumi (importing the CA itself would mean uploading its key).
 * - Transport: UDP on 443. UDP avoids running users' TCP sessions inside a TCP tunnel (stalls
 *   under loss); 443 is the port networks most often let out.
 * - Split tunnel: only routes for the VPC go through the tunnel, so users' other traffic never
 *   passes through (or is attributed to) the platform's account.
 * - Authorization: VPN users may address the VPC CIDR only; the security groups narrow this to
 *   Grafana's load balancer on 443 and the VPC resolver. With certificate authentication there
 *   are no groups, so the rule authorises all (certificate-holding) users.
 * - Logging: every connection attempt, successful or failed, goes to a KMS-encrypted CloudWatch
 *   log group with the configured retention. Sessions end at the configured timeout; the
 *   self-service portal is off (it only serves federated authentication) and users see the login
 *   banner.
 */
export class ClientVpn extends pulumi.ComponentResource {
    /** The Client VPN endpoint. */
    public readonly endpoint: aws.ec2clientvpn.Endpoint;
    /** Client VPN endpoint id (for `aws ec2 export-client-vpn-client-configuration`). */
    public readonly endpointId: pulumi.Output<string>;
    /** Name of the connection log group. */
    public readonly logGroupName: pulumi.Output<string>;
    /** ARN of the server certificate imported into ACM (its expiry is alarmed on: ACM never renews an import). */
    public readonly serverCertificateArn: pulumi.Output<string>;

    constructor(name: string, args: ClientVpnArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:network:ClientVpn", name, args, opts);
        const { network, environment } = args;

        const serverCertificate = new aws.acm.Certificate(
            `${name}-server-certificate`,
            {
                certificateBody: args.serverCertificate.certificatePem,
                privateKey: pulumi.secret(args.serverCertificate.privateKeyPem),
                certificateChain: args.caCertificatePem,
                tags: { Name: `tracing-${environment}-client-vpn-server` },
            },
            { parent: this },
        );

        const logGroup = new EncryptedLogGroup(
            `${name}-connections`,
            {
                logGroupName: `/aws/clientvpn/tracing-${environment}`,
                keyArn: args.logsKmsKeyArn,
                retentionDays: args.logRetentionDays,
                retain: args.protectLogs,
            },
            { parent: this },
        );

        this.endpoint = new aws.ec2clientvpn.Endpoint(
            `${name}-endpoint`,
            {
                description: `tracing-platform ${environment}: access to Grafana`,
                vpcId: network.vpcId,
                securityGroupIds: [args.securityGroupId],
                clientCidrBlock: network.vpnClientCidr,
                serverCertificateArn: serverCertificate.arn,
                authenticationOptions: [{ type: "certificate-authentication", rootCertificateChainArn: serverCertificate.arn }],
                transportProtocol: "udp",
                vpnPort: 443,
                splitTunnel: true,
                // Users resolve the platform's private names (Grafana) through the VPC resolver.
                dnsServers: [addressInBlock(network.vpcCidr, 2)],
                sessionTimeoutHours: network.vpnSessionTimeoutHours,
                disconnectOnSessionTimeout: true,
                selfServicePortal: "disabled",
                clientConnectOptions: { enabled: false },
                clientLoginBannerOptions: { enabled: true, bannerText: network.vpnLoginBanner },
                connectionLogOptions: { enabled: true, cloudwatchLogGroup: logGroup.logGroupName },
                tags: { Name: `tracing-${environment}-client-vpn` },
            },
            { parent: this },
        );

        for (const [index, subnetId] of network.privateSubnetIds.entries()) {
            new aws.ec2clientvpn.NetworkAssociation(
                `${name}-subnet-${index}`,
                { clientVpnEndpointId: this.endpoint.id, subnetId },
                { parent: this },
            );
        }

        new aws.ec2clientvpn.AuthorizationRule(
            `${name}-vpc`,
            {
                clientVpnEndpointId: this.endpoint.id,
                targetNetworkCidr: network.vpcCidr,
                authorizeAllGroups: true,
                description: "Certificate-holding VPN users may address the platform VPC; security groups limit them to Grafana (443) and DNS",
            },
            { parent: this },
        );

        this.endpointId = this.endpoint.id;
        this.logGroupName = logGroup.logGroupName;
        this.serverCertificateArn = serverCertificate.arn;
        this.registerOutputs({ endpointId: this.endpointId, logGroupName: this.logGroupName, serverCertificateArn: this.serverCertificateArn });
    }
}
