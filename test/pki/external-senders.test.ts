/**
 * Senders outside the cluster. The gateway's OTLP receiver requires a client certificate signed by
 * the platform CA (opentelemetry-collector configtls: `client_ca_file` makes the server demand and
 * verify one), and the NLB passes TLS through, so a sender admitted by appOtlpCidrs can connect only
 * with a certificate of that CA. Each name in externalSenders gets its own, and only that name's.
 */
import { strict as assert } from "assert";
import * as yaml from "yaml";
import { namespaces } from "../../components/platform/names";
import { kubernetesObject, ofType, recordStack, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { dependencyOfType, settingsOf } from "../harness/recorded";

const signedType = "tls:index/locallySignedCert:LocallySignedCert";
const selfSignedType = "tls:index/selfSignedCert:SelfSignedCert";

function senderCertificate(recording: StackRecording, sender: string): RecordedResource {
    const matches = ofType(recording, signedType).filter((r) => r.name === `tracing-sender-${sender}-cert`);
    assert.equal(matches.length, 1, `one certificate for ${sender}`);
    return matches[0];
}

describe("external OTLP senders", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            it("issues each configured sender a client-only certificate of the platform CA, the CA the gateway demands", async () => {
                const recording = await stackRecording(stack);
                const senders = settingsOf(recording).collectors.externalSenders;
                assert.ok(senders.length >= 1, "the shipped stacks name at least one external sender");
                const gatewayConfig = yaml.parse(kubernetesObject(recording, "core/v1", "ConfigMap", "otel-gateway-config", namespaces.collectors).inputs.data["config.yaml"]);
                const receiverTls = gatewayConfig.receivers.otlp.protocols.grpc.tls;
                assert.match(receiverTls.client_ca_file, /ca\.crt$/, "the gateway demands client certificates");
                for (const sender of senders) {
                    const certificate = senderCertificate(recording, sender);
                    const ca = dependencyOfType(recording, certificate, "caCertPem", selfSignedType);
                    assert.equal(ca.name, "tracing-platform-ca", `${sender} is signed by the platform CA, which the gateway's CA bundle holds`);
                    assert.deepEqual([...certificate.inputs.allowedUses].sort(), ["client_auth", "digital_signature"]);
                    const request = dependencyOfType(recording, certificate, "certRequestPem", "tls:index/certRequest:CertRequest");
                    assert.deepEqual(request.inputs.uris, [`spiffe://tracing-platform.${stack}/sender/${sender}`]);
                    assert.equal(request.inputs.dnsNames, undefined, "a client certificate names no server");
                }
            });

            it("hands out each sender's certificate and, as a secret, its key; keys never land in the cluster", async () => {
                const recording = await stackRecording(stack);
                const senders = settingsOf(recording).collectors.externalSenders;
                assert.deepEqual(Object.keys(recording.outputs.otlpSenderCertificates as object).sort(), [...senders].sort());
                for (const sender of senders) assert.match((recording.outputs.otlpSenderCertificates as Record<string, string>)[sender], /BEGIN CERTIFICATE/);
                assert.equal(recording.outputs.otlpSenderPrivateKeys, "[secret]");
                const clusterSecrets = ofType(recording, "kubernetes:core/v1:Secret").map((s) => s.inputs.metadata.name);
                for (const sender of senders) assert.ok(!clusterSecrets.some((name: string) => name.includes(sender)), `${sender}'s key stays out of the cluster`);
            });
        });
    }

    it("a sender removed from the list loses its certificate and nothing else changes", async () => {
        const prod = await stackRecording("prod");
        const without = await recordStack("prod", { "tracing-platform:externalSenders": [] });
        assert.equal(without.error, undefined, without.error);
        const names = (r: StackRecording) => r.resources.map((x) => x.name).sort();
        const removed = names(prod).filter((name) => !names(without).includes(name));
        assert.deepEqual(removed, ["tracing-sender-mes-api-cert", "tracing-sender-mes-api-csr", "tracing-sender-mes-api-key"]);
        assert.deepEqual(names(without).filter((name) => !names(prod).includes(name)), []);
    });
});
