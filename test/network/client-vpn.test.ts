import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { addressInBlock } from "../../components/platform/cidr";
import { parseSamlMetadata } from "../../components/platform/settings";
import { projectRoot } from "../harness/stack-config";
import { oneOfType, ofType, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { dependencyOfType, isSecretInput, settingsOf } from "../harness/recorded";

const endpointType = "aws:ec2clientvpn/endpoint:Endpoint";
const certificateType = "aws:acm/certificate:Certificate";
const privateKeyType = "tls:index/privateKey:PrivateKey";
const samlProviderType = "aws:iam/samlProvider:SamlProvider";

describe("Client VPN", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            let recording: StackRecording;
            before(async () => {
                recording = await stackRecording(stack);
            });

            it("signs people in through SAML federation: an IAM SAML provider made from the configured IdP metadata", () => {
                const settings = settingsOf(recording);
                const endpoint = oneOfType(recording, endpointType);
                const provider = oneOfType(recording, samlProviderType);
                assert.deepEqual(endpoint.inputs.authenticationOptions, [
                    { type: "federated-authentication", samlProviderArn: `arn:aws:iam::${settings.aws.accountId}:saml-provider/tracing-${stack}-client-vpn` },
                ]);
                assert.equal(dependencyOfType(recording, endpoint, "authenticationOptions", samlProviderType).urn, provider.urn);
                assert.equal(provider.inputs.samlMetadataDocument, settings.identity.vpn.samlMetadata);
                assert.equal(provider.inputs.samlMetadataDocument, fs.readFileSync(path.join(projectRoot, `identity/${stack}-saml-metadata.xml`), "utf8"));
                assert.ok(!Array.isArray(parseSamlMetadata(provider.inputs.samlMetadataDocument)), "the document is SAML 2.0 IdP metadata");
                assert.equal(provider.inputs.name, `tracing-${stack}-client-vpn`);
                // No shared credential: no certificate authentication, no self-service portal without its own IdP application.
                assert.ok(!endpoint.inputs.authenticationOptions.some((o: any) => o.type === "certificate-authentication"));
                assert.equal(endpoint.inputs.selfServicePortal, "disabled");
            });

            it("presents a server certificate of the VPN CA, through one ACM import, and issues no client certificate", () => {
                const endpoint = oneOfType(recording, endpointType);
                const imported = oneOfType(recording, certificateType);
                assert.equal(dependencyOfType(recording, endpoint, "serverCertificateArn", certificateType).urn, imported.urn);
                assert.equal(dependencyOfType(recording, imported, "certificateBody", "tls:index/locallySignedCert:LocallySignedCert").name, "tracing-vpn-server-cert");
                assert.equal(dependencyOfType(recording, imported, "certificateChain", "tls:index/selfSignedCert:SelfSignedCert").name, "tracing-vpn-ca");
                assert.equal(dependencyOfType(recording, imported, "privateKey", "tls:index/privateKey:PrivateKey").name, "tracing-vpn-server-key");
                assert.ok(isSecretInput(imported, "privateKey"));
                const vpnCa = dependencyOfType(recording, imported, "certificateChain", "tls:index/selfSignedCert:SelfSignedCert");
                const signedByVpnCa = ofType(recording, "tls:index/locallySignedCert:LocallySignedCert").filter(
                    (cert) => dependencyOfType(recording, cert, "caCertPem", "tls:index/selfSignedCert:SelfSignedCert").urn === vpnCa.urn,
                );
                assert.deepEqual(signedByVpnCa.map((c) => c.name), ["tracing-vpn-server-cert"]);
            });

            it("imports only keys Client VPN accepts: RSA 1024 or 2048 bits for the server and its CA (AWS Client VPN administrator guide, mutual authentication)", () => {
                const acceptedRsaBits = [1024, 2048];
                const imported = oneOfType(recording, certificateType);
                const serverKey = dependencyOfType(recording, imported, "privateKey", privateKeyType);
                const ca = dependencyOfType(recording, imported, "certificateChain", "tls:index/selfSignedCert:SelfSignedCert");
                const caKey = dependencyOfType(recording, ca, "privateKeyPem", privateKeyType);
                for (const key of [serverKey, caKey]) {
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

            it("associates the first vpnSubnetAssociations private subnets and authorises only the VPC CIDR, one rule per configured IdP group, with a description", () => {
                const settings = settingsOf(recording);
                const associations = ofType(recording, "aws:ec2clientvpn/networkAssociation:NetworkAssociation");
                const chosen = settings.network.privateSubnetIds.slice(0, settings.network.vpnSubnetAssociations);
                assert.equal(associations.length, settings.network.vpnSubnetAssociations);
                assert.deepEqual(associations.map((a) => a.inputs.subnetId).sort(), [...chosen].sort());
                assert.ok(associations.every((a) => settings.network.privateSubnetIds.includes(a.inputs.subnetId)), "only private subnets");
                const rules = ofType(recording, "aws:ec2clientvpn/authorizationRule:AuthorizationRule");
                assert.deepEqual(rules.map((r) => r.inputs.accessGroupId).sort(), [...settings.identity.vpn.accessGroups].sort());
                assert.ok(settings.identity.vpn.accessGroups.length >= 1);
                for (const rule of rules) {
                    assert.equal(rule.inputs.targetNetworkCidr, settings.network.vpcCidr);
                    assert.ok(rule.inputs.description?.includes(rule.inputs.accessGroupId), "the rule names its group");
                    assert.ok(rule.inputs.description.length <= 255, "Client VPN's description limit");
                    // Only members of the group: never every authenticated user.
                    assert.notEqual(rule.inputs.authorizeAllGroups, true);
                    assert.equal(rule.name, `tracing-vpc-${rule.inputs.accessGroupId}`);
                }
                const endpoint = oneOfType(recording, endpointType);
                for (const dependent of [...associations, ...rules]) {
                    assert.equal(dependencyOfType(recording, dependent, "clientVpnEndpointId", endpointType).urn, endpoint.urn);
                }
            });

            it("exports no VPN client credential: people sign in as themselves", () => {
                for (const name of Object.keys(recording.outputs)) assert.ok(!/^vpnClient/.test(name), `stack output ${name}`);
                assert.ok(!JSON.stringify(recording.outputs).includes("PRIVATE KEY"));
            });

            it("exports the endpoint id", () => {
                assert.equal(recording.outputs.vpnEndpointId, "tracing-endpoint-id");
            });
        });
    }
});
