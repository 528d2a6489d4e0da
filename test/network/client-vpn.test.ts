import { strict as assert } from "assert";
import { addressInBlock } from "../../components/platform/cidr";
import { oneOfType, ofType, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { dependencyOfType, isSecretInput, settingsOf } from "../harness/recorded";

const endpointType = "aws:ec2clientvpn/endpoint:Endpoint";
const certificateType = "aws:acm/certificate:Certificate";
const privateKeyType = "tls:index/privateKey:PrivateKey";

describe("Client VPN", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            let recording: StackRecording;
            before(async () => {
                recording = await stackRecording(stack);
            });

            it("authenticates users by certificate of the VPN CA, through one ACM import of the server certificate", () => {
                const endpoint = oneOfType(recording, endpointType);
                const imported = oneOfType(recording, certificateType);
                assert.equal(endpoint.inputs.authenticationOptions.length, 1);
                const [auth] = endpoint.inputs.authenticationOptions;
                assert.equal(auth.type, "certificate-authentication");
                assert.equal(auth.rootCertificateChainArn, endpoint.inputs.serverCertificateArn);
                assert.equal(dependencyOfType(recording, endpoint, "serverCertificateArn", certificateType).urn, imported.urn);
                assert.equal(dependencyOfType(recording, imported, "certificateBody", "tls:index/locallySignedCert:LocallySignedCert").name, "tracing-vpn-server-cert");
                assert.equal(dependencyOfType(recording, imported, "certificateChain", "tls:index/selfSignedCert:SelfSignedCert").name, "tracing-vpn-ca");
                assert.equal(dependencyOfType(recording, imported, "privateKey", "tls:index/privateKey:PrivateKey").name, "tracing-vpn-server-key");
                assert.ok(isSecretInput(imported, "privateKey"));
            });

            it("imports only keys Client VPN accepts: RSA 1024 or 2048 bits for the server, its CA and every client (AWS Client VPN administrator guide, mutual authentication)", () => {
                const acceptedRsaBits = [1024, 2048];
                const imported = oneOfType(recording, certificateType);
                const serverKey = dependencyOfType(recording, imported, "privateKey", privateKeyType);
                const ca = dependencyOfType(recording, imported, "certificateChain", "tls:index/selfSignedCert:SelfSignedCert");
                const caKey = dependencyOfType(recording, ca, "privateKeyPem", privateKeyType);
                const clientKeys = ofType(recording, "tls:index/locallySignedCert:LocallySignedCert")
                    .filter((cert) => dependencyOfType(recording, cert, "caCertPem", "tls:index/selfSignedCert:SelfSignedCert").urn === ca.urn)
                    .map((cert) => dependencyOfType(recording, dependencyOfType(recording, cert, "certRequestPem", "tls:index/certRequest:CertRequest"), "privateKeyPem", privateKeyType));
                assert.ok(clientKeys.length >= 2, "the VPN CA signs the server and at least one client");
                for (const key of [serverKey, caKey, ...clientKeys]) {
                    assert.equal(key.inputs.algorithm, "RSA", `${key.name}: Client VPN needs RSA`);
                    assert.ok(acceptedRsaBits.includes(key.inputs.rsaBits), `${key.name}: RSA-${key.inputs.rsaBits} is not a size Client VPN accepts`);
                }
            });

            it("runs split-tunnel UDP/443 in the platform VPC with its own security group, timeout, banner and no self-service portal", () => {
                const settings = settingsOf(recording);
                const { inputs } = oneOfType(recording, endpointType);
                assert.equal(inputs.vpcId, settings.network.vpcId);
                assert.equal(inputs.clientCidrBlock, settings.network.vpnClientCidr);
                assert.equal(inputs.splitTunnel, true);
                assert.equal(inputs.transportProtocol, "udp");
                assert.equal(inputs.vpnPort, 443);
                assert.equal(inputs.selfServicePortal, "disabled");
                assert.equal(inputs.sessionTimeoutHours, settings.network.vpnSessionTimeoutHours);
                assert.equal(inputs.disconnectOnSessionTimeout, true);
                assert.deepEqual(inputs.clientLoginBannerOptions, { enabled: true, bannerText: settings.network.vpnLoginBanner });
                assert.deepEqual(inputs.clientConnectOptions, { enabled: false });
                assert.deepEqual(inputs.dnsServers, [addressInBlock(settings.network.vpcCidr, 2)]);
                const endpoint = oneOfType(recording, endpointType);
                const group = dependencyOfType(recording, endpoint, "securityGroupIds", "aws:ec2/securityGroup:SecurityGroup");
                assert.equal(inputs.securityGroupIds.length, 1);
                assert.equal(group.name, "tracing-client-vpn");
                assert.equal(group.inputs.vpcId, settings.network.vpcId);
            });

            it("logs every connection to a KMS-encrypted log group with the configured retention", () => {
                const settings = settingsOf(recording);
                const endpoint = oneOfType(recording, endpointType);
                const logGroup = dependencyOfType(recording, endpoint, "connectionLogOptions", "aws:cloudwatch/logGroup:LogGroup");
                assert.deepEqual(endpoint.inputs.connectionLogOptions, { enabled: true, cloudwatchLogGroup: logGroup.inputs.name });
                assert.equal(logGroup.inputs.retentionInDays, settings.retention.logDays);
                const key = dependencyOfType(recording, logGroup, "kmsKeyId", "aws:kms/key:Key");
                assert.equal(key.inputs.enableKeyRotation, true);
                const keyPolicy = JSON.parse(key.inputs.policy);
                const logsStatement = keyPolicy.Statement.find((s: any) => s.Principal?.Service === `logs.${settings.aws.region}.amazonaws.com`);
                assert.ok(logsStatement, "CloudWatch Logs may use the key");
                assert.match(logsStatement.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], new RegExp(`^arn:aws:logs:${settings.aws.region}:${settings.aws.accountId}:`));
                assert.equal(logGroup.inputs.deletionProtectionEnabled, settings.isProduction);
            });

            it("associates the first vpnSubnetAssociations private subnets and authorises only the VPC CIDR, with a description", () => {
                const settings = settingsOf(recording);
                const associations = ofType(recording, "aws:ec2clientvpn/networkAssociation:NetworkAssociation");
                const chosen = settings.network.privateSubnetIds.slice(0, settings.network.vpnSubnetAssociations);
                assert.equal(associations.length, settings.network.vpnSubnetAssociations);
                assert.deepEqual(associations.map((a) => a.inputs.subnetId).sort(), [...chosen].sort());
                assert.ok(associations.every((a) => settings.network.privateSubnetIds.includes(a.inputs.subnetId)), "only private subnets");
                const rules = ofType(recording, "aws:ec2clientvpn/authorizationRule:AuthorizationRule");
                assert.equal(rules.length, 1);
                const [rule] = rules;
                assert.equal(rule.inputs.targetNetworkCidr, settings.network.vpcCidr);
                assert.ok(rule.inputs.description?.length > 20, "the rule says why it exists");
                // Certificate authentication has no groups, so the rule covers all certificate holders.
                assert.equal(rule.inputs.authorizeAllGroups, true);
                assert.equal(rule.inputs.accessGroupId, undefined);
                const endpoint = oneOfType(recording, endpointType);
                for (const dependent of [...associations, rule]) {
                    assert.equal(dependencyOfType(recording, dependent, "clientVpnEndpointId", endpointType).urn, endpoint.urn);
                }
            });

            it("exports the endpoint id", () => {
                assert.equal(recording.outputs.vpnEndpointId, "tracing-endpoint-id");
            });
        });
    }
});
