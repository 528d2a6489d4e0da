import { strict as assert } from "assert";
import { gatewayPodDnsNames, pkiPlan, vpnServerDnsName } from "../../components/pki/plan";
import { namespaces, serviceDnsNames, tlsSecrets, workloads } from "../../components/platform/names";
import { kubernetesObject, kubernetesObjects, ofType, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { Secret } from "kubernetes-models/v1/Secret";
import { dependenciesOf, dependencyOfType, isSecretInput, settingsOf, validateKubernetesObjects } from "../harness/recorded";

const privateKeyType = "tls:index/privateKey:PrivateKey";
const selfSignedType = "tls:index/selfSignedCert:SelfSignedCert";
const signedType = "tls:index/locallySignedCert:LocallySignedCert";
const csrType = "tls:index/certRequest:CertRequest";

interface IssuedLeaf {
    readonly certificate: RecordedResource;
    readonly request: RecordedResource;
    readonly key: RecordedResource;
    readonly authority: RecordedResource;
    readonly authorityKey: RecordedResource;
}

function leaf(recording: StackRecording, id: string): IssuedLeaf {
    const name = `tracing-${id}-cert`;
    const matches = ofType(recording, signedType).filter((r) => r.name === name);
    assert.equal(matches.length, 1, `one certificate ${name}`);
    const certificate = matches[0];
    const request = dependencyOfType(recording, certificate, "certRequestPem", csrType);
    return {
        certificate,
        request,
        key: dependencyOfType(recording, request, "privateKeyPem", privateKeyType),
        authority: dependencyOfType(recording, certificate, "caCertPem", selfSignedType),
        authorityKey: dependencyOfType(recording, certificate, "caPrivateKeyPemWo", privateKeyType),
    };
}

function authority(recording: StackRecording, id: "platform" | "platform-2" | "vpn"): RecordedResource {
    const matches = ofType(recording, selfSignedType).filter((r) => r.name === `tracing-${id}-ca`);
    assert.equal(matches.length, 1, `one ${id} CA`);
    return matches[0];
}

const workloadServers = ["agent-server", "gateway-server", "tempo-server", "grafana-server"] as const;
const workloadClients = ["agent-client", "log-agent-client", "gateway-client", "grafana-client"] as const;

describe("PKI", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            let recording: StackRecording;
            before(async () => {
                recording = await stackRecording(stack);
            });

            it("has three self-signed authorities: two platform ECDSA P-384 CAs taking turns and the VPN RSA-2048 CA, all path-length-0 CAs renewed a leaf lifetime early", () => {
                const settings = settingsOf(recording);
                assert.equal(ofType(recording, selfSignedType).length, 3);
                const platformKey = { algorithm: "ECDSA", ecdsaCurve: "P384" };
                const expectedKeys = { platform: platformKey, "platform-2": platformKey, vpn: { algorithm: "RSA", rsaBits: 2048 } };
                assert.notEqual(authority(recording, "platform").inputs.subject.commonName, authority(recording, "platform-2").inputs.subject.commonName);
                for (const id of ["platform", "platform-2", "vpn"] as const) {
                    const ca = authority(recording, id);
                    const key = dependencyOfType(recording, ca, "privateKeyPem", privateKeyType);
                    assert.deepEqual(key.inputs, expectedKeys[id], `${id} CA key`);
                    assert.equal(ca.inputs.isCaCertificate, true);
                    assert.equal(ca.inputs.maxPathLength, 0);
                    assert.deepEqual([...ca.inputs.allowedUses].sort(), ["cert_signing", "crl_signing"]);
                    assert.equal(ca.inputs.validityPeriodHours, settings.pki.caValidityHours);
                    assert.equal(ca.inputs.earlyRenewalHours, settings.pki.certValidityHours, "a CA renews while a whole leaf lifetime remains");
                    assert.equal(ca.inputs.subject.organizationalUnit, stack);
                    assert.match(ca.inputs.subject.commonName, new RegExp(`\\b${stack}\\b`));
                }
            });

            it("signs workload certificates with the platform CA (the exported caCertificate) and the VPN server certificate, its only leaf, with the VPN CA", () => {
                const platform = authority(recording, "platform");
                const vpn = authority(recording, "vpn");
                const platformKey = dependencyOfType(recording, platform, "privateKeyPem", privateKeyType);
                const vpnKey = dependencyOfType(recording, vpn, "privateKeyPem", privateKeyType);
                for (const id of [...workloadServers, ...workloadClients]) {
                    const issued = leaf(recording, id);
                    assert.equal(issued.authority.urn, platform.urn, `${id} signed by the platform CA`);
                    assert.equal(issued.authorityKey.urn, platformKey.urn, `${id} signed with the platform CA's key`);
                    assert.equal(issued.certificate.inputs.caCertPem, recording.outputs.caCertificate, `${id} chains to the exported CA`);
                }
                const issued = leaf(recording, "vpn-server");
                assert.equal(issued.authority.urn, vpn.urn, "vpn-server signed by the VPN CA");
                assert.equal(issued.authorityKey.urn, vpnKey.urn);
                // People sign in to the VPN through SAML: no client certificate is issued at all.
                const vpnLeaves = ofType(recording, signedType).filter((c) => dependencyOfType(recording, c, "caCertPem", "tls:index/selfSignedCert:SelfSignedCert").urn === vpn.urn);
                assert.deepEqual(vpnLeaves.map((c) => c.name), ["tracing-vpn-server-cert"]);
                const senders = settingsOf(recording).collectors.externalSenders;
                for (const sender of senders) assert.equal(leaf(recording, `sender-${sender}`).authority.urn, platform.urn, `${sender} signed by the platform CA`);
                assert.equal(ofType(recording, signedType).length, workloadServers.length + workloadClients.length + 1 + senders.length);
            });

            it("names in each server certificate exactly the Service DNS names its clients dial", () => {
                const settings = settingsOf(recording);
                const expected: Record<(typeof workloadServers)[number] | "vpn-server", string[]> = {
                    "agent-server": serviceDnsNames("agent"),
                    "gateway-server": [
                        ...serviceDnsNames("gatewayHeadless"),
                        ...serviceDnsNames("gatewayExternal"),
                        ...gatewayPodDnsNames(settings.collectors.gatewayMaxReplicas),
                    ],
                    "tempo-server": [...serviceDnsNames("tempoIngest"), ...serviceDnsNames("tempoQuery")],
                    "grafana-server": [settings.grafana.hostname, ...serviceDnsNames("grafana")],
                    "vpn-server": [vpnServerDnsName(settings.grafana.hostname)],
                };
                for (const [id, names] of Object.entries(expected)) {
                    assert.deepEqual(leaf(recording, id).request.inputs.dnsNames, names, id);
                }
                const gatewayNames: string[] = leaf(recording, "gateway-server").request.inputs.dnsNames;
                const lastPod = `${workloads.gateway.name}-${settings.collectors.gatewayMaxReplicas - 1}`;
                assert.ok(gatewayNames.includes(`${lastPod}.otel-gateway-headless.tracing-collectors`), "the highest gateway ordinal as the agents dial it");
                assert.ok(!gatewayNames.some((n) => n.startsWith(`${workloads.gateway.name}-${settings.collectors.gatewayMaxReplicas}.`)));
                for (const id of [...workloadServers, ...workloadClients, "vpn-server"]) {
                    const names: string[] = leaf(recording, id).request.inputs.dnsNames ?? [];
                    assert.ok(!names.some((n) => n.includes("*")), `${id} has no wildcard SAN`);
                }
                for (const id of workloadClients) {
                    assert.equal(leaf(recording, id).request.inputs.dnsNames, undefined, `${id} is a client certificate without DNS names`);
                }
            });

            it("uses P-256 keys for workload certificates and RSA-2048 for the Client VPN server certificate, curves always explicit", () => {
                for (const id of [...workloadServers, ...workloadClients]) {
                    assert.deepEqual(leaf(recording, id).key.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" }, id);
                }
                assert.deepEqual(leaf(recording, "vpn-server").key.inputs, { algorithm: "RSA", rsaBits: 2048 }, "vpn-server");
                for (const key of ofType(recording, privateKeyType)) {
                    if (key.inputs.algorithm === "ECDSA") assert.ok(["P256", "P384"].includes(key.inputs.ecdsaCurve), `${key.name} curve`);
                    else assert.ok(key.inputs.algorithm === "RSA" && key.inputs.rsaBits >= 2048, `${key.name} size`);
                }
            });

            it("grants server certificates server_auth, client certificates client_auth, and only Tempo's both", () => {
                const settings = settingsOf(recording);
                const usesOf = (id: string): string[] => leaf(recording, id).certificate.inputs.allowedUses;
                for (const id of [...workloadServers, "vpn-server"]) {
                    assert.ok(usesOf(id).includes("server_auth"), `${id} serves`);
                    assert.equal(usesOf(id).includes("client_auth"), id === "tempo-server", `${id} client_auth only for Tempo's peer traffic`);
                }
                for (const id of workloadClients) {
                    assert.ok(usesOf(id).includes("client_auth"), `${id} authenticates`);
                    assert.ok(!usesOf(id).includes("server_auth"), `${id} cannot serve`);
                }
                assert.ok(usesOf("vpn-server").includes("key_encipherment"), "vpn-server: OpenVPN checks RSA key usage");
                for (const certificate of ofType(recording, signedType)) {
                    const uses: string[] = certificate.inputs.allowedUses;
                    assert.ok(uses.includes("digital_signature"));
                    assert.ok(!uses.some((u) => ["cert_signing", "crl_signing", "any_extended"].includes(u)), `${certificate.name} is a leaf`);
                    assert.equal(certificate.inputs.validityPeriodHours, settings.pki.certValidityHours);
                    // Client VPN takes up to a day to use a re-imported server certificate: it renews a day earlier.
                    const lead = certificate.name === "tracing-vpn-server-cert" ? 24 : 0;
                    assert.equal(certificate.inputs.earlyRenewalHours, settings.pki.earlyRenewalHours + lead, certificate.name);
                    assert.notEqual(certificate.inputs.isCaCertificate, true);
                }
            });

            it("writes each workload certificate, its key and the CA to its kubernetes.io/tls Secret", () => {
                const platform = authority(recording, "platform");
                const ids: Record<string, keyof typeof tlsSecrets> = {
                    "agent-server": "agentServer",
                    "agent-client": "agentClient",
                    "log-agent-client": "logAgentClient",
                    "gateway-server": "gatewayServer",
                    "gateway-client": "gatewayClient",
                    "tempo-server": "tempoServer",
                    "grafana-server": "grafanaServer",
                    "grafana-client": "grafanaClient",
                };
                for (const [id, secretKey] of Object.entries(ids)) {
                    const target = tlsSecrets[secretKey] as { name: string; namespace: string };
                    const secret = kubernetesObject(recording, "core/v1", "Secret", target.name, target.namespace);
                    const issued = leaf(recording, id);
                    assert.equal(secret.inputs.type, "kubernetes.io/tls");
                    assert.deepEqual(Object.keys(secret.inputs.stringData).sort(), ["ca.crt", "tls.crt", "tls.key"]);
                    assert.ok(isSecretInput(secret, "stringData"), `${target.name} data is a Pulumi secret`);
                    const sources = dependenciesOf(recording, secret, "stringData").map((r) => r.urn).sort();
                    assert.deepEqual(sources, [issued.certificate.urn, issued.key.urn, platform.urn].sort(), `${target.name} holds its own certificate and key`);
                }
            });

            it("records only schema-valid Secrets", () => {
                assert.ok(validateKubernetesObjects(recording, "core/v1", "Secret", Secret) >= Object.keys(tlsSecrets).length - 1 + Object.keys(namespaces).length);
            });

            it("places the CA bundle (ca.crt = the exported CA) in every platform namespace", () => {
                const bundles = kubernetesObjects(recording, "core/v1", "Secret").filter((s) => s.inputs.metadata.name === tlsSecrets.caBundle);
                assert.deepEqual(bundles.map((b) => b.inputs.metadata.namespace).sort(), Object.values(namespaces).sort());
                for (const bundle of bundles) {
                    assert.deepEqual(bundle.inputs.stringData, { "ca.crt": recording.outputs.caCertificate });
                }
            });

            it("creates every key and certificate through the stack's own TLS provider (default providers are disabled)", () => {
                const tlsResources = recording.resources.filter((r) => r.custom && r.type.startsWith("tls:"));
                const leaves = 9 + settingsOf(recording).collectors.externalSenders.length;
                assert.equal(tlsResources.length, 3 + leaves * 3 + 3, "three CA keys and certificates, a key, request and certificate per leaf");
                for (const resource of tlsResources) {
                    const providerUrn = resource.provider?.slice(0, resource.provider.lastIndexOf("::")) ?? "";
                    assert.match(providerUrn, /\$pulumi:providers:tls::tracing-tls$/, resource.name);
                }
            });

            it("keeps private keys out of every plain-text input and output", () => {
                const keyUrns = new Set(ofType(recording, privateKeyType).map((k) => k.urn));
                let keyConsumers = 0;
                for (const resource of recording.resources) {
                    for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
                        if (!urns.some((urn) => keyUrns.has(urn))) continue;
                        keyConsumers++;
                        assert.ok(isSecretInput(resource, property), `${resource.type} ${resource.name}.${property} carries a private key and must be secret`);
                    }
                    const plain = { ...resource.inputs };
                    for (const path of resource.secretPaths) delete plain[path.split(".")[0]];
                    assert.ok(!JSON.stringify(plain).includes("PRIVATE KEY"), `${resource.name} has a private key in a plain input`);
                }
                assert.ok(keyConsumers >= 2 * 8 + 2, "every certificate request, signature and key copy was checked");
                for (const key of ofType(recording, privateKeyType)) {
                    assert.ok(key.additionalSecretOutputs.includes("privateKeyPem"), `${key.name} output is secret`);
                }
                // VPN users sign in through SAML: no client key or certificate is handed out as a stack output.
                assert.ok(!Object.keys(recording.outputs).some((name) => /^vpnClient/.test(name)), "no VPN client credential is exported");
                assert.deepEqual(Object.keys(recording.outputs).filter((name) => /PrivateKey/i.test(name)), ["otlpSenderPrivateKeys"]);
                assert.equal(recording.outputs.otlpSenderPrivateKeys, "[secret]");
                for (const [name, value] of Object.entries(recording.outputs)) {
                    assert.ok(!JSON.stringify(value).includes("PRIVATE KEY"), `stack output ${name} leaks a private key`);
                }
            });
        });
    }

    it("gives dev and prod distinct authorities", async () => {
        const [dev, prod] = await Promise.all([stackRecording("dev"), stackRecording("prod")]);
        for (const id of ["platform", "vpn"] as const) {
            const devCa = authority(dev, id);
            const prodCa = authority(prod, id);
            assert.notEqual(devCa.urn, prodCa.urn);
            assert.notDeepEqual(devCa.inputs.subject, prodCa.inputs.subject);
            const devKey = dependencyOfType(dev, devCa, "privateKeyPem", privateKeyType);
            const prodKey = dependencyOfType(prod, prodCa, "privateKeyPem", privateKeyType);
            assert.notEqual(devKey.urn, prodKey.urn, "each stack generates its own CA key");
        }
        assert.notEqual(authority(dev, "platform").inputs.subject.commonName, authority(dev, "vpn").inputs.subject.commonName);
    });
});

describe("PKI plan", () => {
    it("names every possible gateway pod the way the k8s resolver dials it, in all three forms", () => {
        assert.deepEqual(gatewayPodDnsNames(2), [
            "otel-gateway-0.otel-gateway-headless.tracing-collectors",
            "otel-gateway-0.otel-gateway-headless.tracing-collectors.svc",
            "otel-gateway-0.otel-gateway-headless.tracing-collectors.svc.cluster.local",
            "otel-gateway-1.otel-gateway-headless.tracing-collectors",
            "otel-gateway-1.otel-gateway-headless.tracing-collectors.svc",
            "otel-gateway-1.otel-gateway-headless.tracing-collectors.svc.cluster.local",
        ]);
        assert.throws(() => gatewayPodDnsNames(0), /positive integer/);
    });

    it("keeps every common name within the X.509 limit and every workload Secret in its workload's namespace", () => {
        const plan = pkiPlan({ environment: "prod", grafanaHostname: "grafana.a-rather-long-subdomain.tracing.prod.internal.example.com", gatewayMaxReplicas: 12, externalSenders: ["a-thirty-two-character-sender-nm"] });
        assert.ok(plan.leaves.some((l) => l.id === "sender-a-thirty-two-character-sender-nm"));
        for (const spec of plan.leaves) {
            assert.ok(spec.subject.commonName.length <= 64, spec.id);
            if (spec.secret) assert.equal(spec.secret.namespace, workloads[spec.workload!].namespace, spec.id);
        }
        assert.equal(plan.leaves.filter((l) => l.authority === "vpn").every((l) => !l.secret), true, "VPN keys never land in the cluster");
    });
});
