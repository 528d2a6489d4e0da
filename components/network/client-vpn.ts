import * as aws from "../platform/aws";
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
    /** The SAML identity provider people sign in with, and the groups whose members may connect. */
    readonly identity: Settings["identity"]["vpn"];
}

/**
 * AWS Client VPN: the only way people reach the platform (Grafana) from outside the VPC.
 *
 * - Per-person sign-in: SAML 2.0 federation through an IAM SAML provider made from the IdP's
 *   metadata (IAM Identity Center or any SAML IdP), so each session belongs to one person, MFA is
 *   the IdP's, and a leaver is revoked at the IdP. Client VPN writes the SAML user into every
 *   connection log entry (`username`; AWS Client VPN administrator guide, "Connection logging":
 *   "The username is recorded when user-based authentication (AD or SAML) is used"). No client
 *   certificate exists: a shared one named nobody, and Client VPN does not even log failed
 *   mutual-authentication attempts. The server certificate (signed by the VPN CA, imported into
 *   ACM with that CA as its chain) still authenticates the endpoint to the clients.
 * - Transport: UDP on 443. UDP avoids running users' TCP sessions inside a TCP tunnel (stalls
 *   under loss); 443 is the port networks most often let out.
 * - Split tunnel: only routes for the VPC go through the tunnel, so users' other traffic never
 *   passes through (or is attributed to) the platform's account.
 * - Authorization: one rule per configured IdP group (the SAML `memberOf` values), each for the
 *   VPC CIDR only; people in none of the groups get no route at all. The security groups narrow the
 *   VPC to Grafana's load balancer on 443 and the VPC resolver.
 * - Logging: every connection attempt, successful or failed, goes to a KMS-encrypted CloudWatch
 *   log group with the configured retention. Sessions end at the configured timeout; the
 *   self-service portal is off (it would need a second SAML application at the IdP; profiles are
 *   handed out with the runbook's onboarding step) and users see the login banner.
 */
export class ClientVpn extends pulumi.ComponentResource {
    /** The Client VPN endpoint. */
    public readonly endpoint: aws.ec2clientvpn.Endpoint;
    /** Client VPN endpoint id (for `aws ec2 export-client-vpn-client-configuration`). */
    public readonly endpointId: pulumi.Output<string>;
    /** Name of the connection log group. */
    public readonly logGroupName: pulumi.Output<string>;
    /** ARN of the IAM SAML provider people sign in through. */
    public readonly samlProviderArn: pulumi.Output<string>;
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

        // Updating the metadata (a new IdP signing certificate) updates the provider in place; its ARN,
        // which the endpoint is bound to, stays.
        const samlProvider = new aws.iam.SamlProvider(
            `${name}-saml`,
            {
                name: `tracing-${environment}-client-vpn`,
                samlMetadataDocument: args.identity.samlMetadata,
                tags: { Name: `tracing-${environment}-client-vpn` },
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
                authenticationOptions: [{ type: "federated-authentication", samlProviderArn: samlProvider.arn }],
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

        // Each association is billed per hour; the stack chooses how many zones keep VPN access (vpnSubnetAssociations).
        for (const [index, subnetId] of network.privateSubnetIds.slice(0, network.vpnSubnetAssociations).entries()) {
            new aws.ec2clientvpn.NetworkAssociation(
                `${name}-subnet-${index}`,
                { clientVpnEndpointId: this.endpoint.id, subnetId },
                { parent: this },
            );
        }

        // Keyed by group, so adding or removing one group touches only its rule.
        for (const group of args.identity.accessGroups) {
            new aws.ec2clientvpn.AuthorizationRule(
                `${name}-vpc-${group}`,
                {
                    clientVpnEndpointId: this.endpoint.id,
                    targetNetworkCidr: network.vpcCidr,
                    accessGroupId: group,
                    description: `Members of IdP group ${group} may reach the platform VPC (security groups: Grafana 443, DNS)`,
                },
                { parent: this },
            );
        }

        this.endpointId = this.endpoint.id;
        this.logGroupName = logGroup.logGroupName;
        this.samlProviderArn = samlProvider.arn;
        this.serverCertificateArn = serverCertificate.arn;
        this.registerOutputs({
            endpointId: this.endpointId,
            logGroupName: this.logGroupName,
            samlProviderArn: this.samlProviderArn,
            serverCertificateArn: this.serverCertificateArn,
        });
    }
}
