/**
 * Certificate renewal as `pulumi up` would do it on a given day: the real program recorded with its
 * clock moved (TRACING_PLATFORM_NOW, set by the harness). The engine replaces a resource whose
 * `replacementTrigger` differs from the one recorded at the previous update (pulumi/pulumi
 * step_generator shouldTriggerReplace), so two recordings' triggers name exactly what the later
 * update replaces; @pulumi/tls alone would replace nothing (pulumi/pulumi-tls#39).
 */
import { strict as assert } from "assert";
import { leafLifetime, renewalWindow, rotationEpoch, scheduleOf, vpnServerLifetime, type RenewalSchedule } from "../../components/pki/rotation";
import { tlsHashAnnotation, tlsSecrets, workloads } from "../../components/platform/names";
import { byUrn, kubernetesObject, kubernetesObjects, ofType, recordingClock, recordStack, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { dependencyOfType, settingsOf } from "../harness/recorded";

const tlsTypes = ["tls:index/privateKey:PrivateKey", "tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"];
const hour = 3_600_000;

/** Resource name -> replacementTrigger, for every resource that has one. */
function triggers(recording: StackRecording): Map<string, unknown> {
    return new Map(recording.resources.filter((r) => r.replacementTrigger !== undefined).map((r) => [r.name, r.replacementTrigger]));
}

/** Names the update recorded as `after` replaces, coming from `before`. */
function replacedBetween(before: StackRecording, after: StackRecording): string[] {
    const old = triggers(before);
    return [...triggers(after)].filter(([name, trigger]) => old.has(name) && old.get(name) !== trigger).map(([name]) => name).sort();
}

/** Start of the first window after the one `now` is in. */
function nextWindow(schedule: RenewalSchedule, now: Date): Date {
    return new Date(new Date(renewalWindow(schedule, now)).getTime() + schedule.periodHours * hour);
}

/** Every resource other than keys and certificates, as the engine compares it. */
function everythingElse(recording: StackRecording): string {
    return JSON.stringify(recording.resources.filter((r) => !tlsTypes.includes(r.type)).map((r) => [r.urn, r.inputs, r.replacementTrigger]));
}

for (const stack of shippedStacks) {
    describe(`certificate renewal (${stack})`, () => {
        let base: StackRecording;
        let leafRenewal: Date;
        let vpnRenewal: Date;
        before(async () => {
            base = await stackRecording(stack);
            const { pki } = settingsOf(base);
            leafRenewal = nextWindow(scheduleOf(leafLifetime(pki)), new Date(recordingClock));
            vpnRenewal = nextWindow(scheduleOf(vpnServerLifetime(pki)), new Date(recordingClock));
        });

        it("gives every key and certificate, and nothing else, the renewal window it was issued in as its replacementTrigger", () => {
            const keysAndCertificates = base.resources.filter((r) => tlsTypes.includes(r.type)).map((r) => r.name).sort();
            assert.deepEqual([...triggers(base).keys()].sort(), keysAndCertificates);
            for (const [name, trigger] of triggers(base)) {
                assert.ok(!Number.isNaN(Date.parse(String(trigger))) && Date.parse(String(trigger)) <= Date.parse(recordingClock), `${name}: ${trigger}`);
            }
            assert.equal(base.outputs.renewalClock, new Date(recordingClock).toISOString(), "the clock the windows came from is exported for the drift check");
        });

        it("re-keys with every renewal and has each certificate follow the CA that signs it (replaceWith)", () => {
            const windows = triggers(base);
            for (const certificate of ofType(base, "tls:index/locallySignedCert:LocallySignedCert")) {
                const request = dependencyOfType(base, certificate, "certRequestPem", "tls:index/certRequest:CertRequest");
                const key = dependencyOfType(base, request, "privateKeyPem", "tls:index/privateKey:PrivateKey");
                assert.equal(windows.get(key.name), windows.get(certificate.name), `${certificate.name} and its key renew together`);
                const signer = dependencyOfType(base, certificate, "caCertPem", "tls:index/selfSignedCert:SelfSignedCert");
                assert.deepEqual(certificate.replaceWith, [signer.urn], `${certificate.name} is replaced with ${signer.name}`);
            }
            for (const resource of base.resources) {
                for (const urn of resource.replaceWith) assert.ok(byUrn(base, urn), `${resource.name} follows a resource of the stack`);
            }
        });

        it("a stack recorded past the certificates' renewal point replaces every leaf key and certificate, and only those", async () => {
            const later = new Date(Math.max(leafRenewal.getTime(), vpnRenewal.getTime()) + hour);
            const renewed = await recordStack(stack, {}, stack, later.toISOString());
            assert.equal(renewed.error, undefined, renewed.error);
            const leaves = base.resources
                .filter((r) => r.type === "tls:index/locallySignedCert:LocallySignedCert")
                .flatMap((certificate) => {
                    const request = dependencyOfType(base, certificate, "certRequestPem", "tls:index/certRequest:CertRequest");
                    return [certificate.name, dependencyOfType(base, request, "privateKeyPem", "tls:index/privateKey:PrivateKey").name];
                });
            assert.deepEqual(replacedBetween(base, renewed), leaves.sort(), "every leaf, no CA");
            assert.equal(everythingElse(renewed), everythingElse(base), "no other resource changes");
        });

        it("replaces the VPN server certificate at its own renewal point, a day ahead of the other leaves' window", async () => {
            const { pki } = settingsOf(base);
            assert.equal(scheduleOf(vpnServerLifetime(pki)).periodHours, scheduleOf(leafLifetime(pki)).periodHours - 24);
            // At the harness's clock the VPN server's next window opens before the other leaves' one.
            assert.ok(vpnRenewal < leafRenewal, `${vpnRenewal.toISOString()} before ${leafRenewal.toISOString()}`);
            const renewed = await recordStack(stack, {}, stack, new Date(vpnRenewal.getTime() + hour).toISOString());
            assert.equal(renewed.error, undefined, renewed.error);
            assert.deepEqual(replacedBetween(base, renewed), ["tracing-vpn-server-cert", "tracing-vpn-server-key"]);
        });
    });
}

/**
 * A platform CA hand-over, recorded at its four moments: just before and after the next CA is
 * published, after it takes over signing, and after the previous one leaves the bundles. The
 * moments come from the schedule itself (alternatingAuthorities), from the harness's clock.
 */
describe("platform CA rotation (dev)", () => {
    const bundleOf = (recording: StackRecording) => {
        const bundles = new Set(kubernetesObjects(recording, "core/v1", "Secret").filter((s) => s.inputs.metadata.name === tlsSecrets.caBundle).map((s) => s.inputs.stringData["ca.crt"]));
        assert.equal(bundles.size, 1, "the same bundle in every namespace");
        return [...bundles][0] as string;
    };
    const caPem = (name: string) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(`CERTIFICATE:${name}`).toString("base64")}\n-----END CERTIFICATE-----\n`;
    const signersOf = (recording: StackRecording) =>
        new Set(
            ofType(recording, "tls:index/locallySignedCert:LocallySignedCert")
                .filter((c) => !c.name.startsWith("tracing-vpn-"))
                .map((c) => dependencyOfType(recording, c, "caCertPem", "tls:index/selfSignedCert:SelfSignedCert").name),
        );
    const collectorsHash = (recording: StackRecording) => kubernetesObject(recording, "apps/v1", "DaemonSet", workloads.agent.name).inputs.spec.template.metadata.annotations[tlsHashAnnotation];

    let moments: { beforePublish: StackRecording; published: StackRecording; tookOver: StackRecording; dropped: StackRecording };
    before(async () => {
        const { pki } = settingsOf(await stackRecording("dev"));
        const turn = ((pki.caValidityHours - pki.certValidityHours) / 2) * hour;
        const sinceEpoch = Date.parse(recordingClock) - rotationEpoch.getTime();
        const handOver = rotationEpoch.getTime() + (Math.floor(sinceEpoch / turn) + 1) * turn;
        const at = (offsetHours: number) => recordStack("dev", {}, "dev", new Date(handOver + offsetHours * hour).toISOString());
        const [beforePublish, published, tookOver, dropped] = await Promise.all([
            at(-pki.earlyRenewalHours - 1),
            at(-pki.earlyRenewalHours + 1),
            at(1),
            at(pki.earlyRenewalHours + 1),
        ]);
        moments = { beforePublish, published, tookOver, dropped };
        for (const recording of Object.values(moments)) assert.equal(recording.error, undefined, recording.error);
    });

    it("publishes the next CA in every bundle, and replaces nothing else, certEarlyRenewalHours before it signs", () => {
        const { beforePublish, published } = moments;
        assert.deepEqual(replacedBetween(beforePublish, published), ["tracing-platform-2-ca", "tracing-platform-2-ca-key"]);
        assert.equal(bundleOf(beforePublish), caPem("tracing-platform-ca"));
        assert.equal(bundleOf(published), caPem("tracing-platform-ca") + caPem("tracing-platform-2-ca"));
        assert.equal(published.outputs.caCertificate, bundleOf(published), "users and senders are handed both CAs");
        assert.deepEqual([...signersOf(published)], ["tracing-platform-ca"], "the new CA signs nothing yet");
        assert.notEqual(collectorsHash(published), collectorsHash(beforePublish), "the collectors restart onto the new bundle");
    });

    it("then re-signs every platform certificate with it, while both CAs stay trusted", () => {
        const { published, tookOver } = moments;
        assert.deepEqual(replacedBetween(published, tookOver), [], "no key or CA changes at the hand-over; certificates follow their new signer");
        assert.deepEqual([...signersOf(tookOver)], ["tracing-platform-2-ca"]);
        assert.equal(bundleOf(tookOver), bundleOf(published), "the bundle does not change, so nothing restarts for it");
    });

    it("and drops the previous CA from the bundles certEarlyRenewalHours later", () => {
        const { tookOver, dropped } = moments;
        assert.deepEqual(replacedBetween(tookOver, dropped), []);
        assert.equal(bundleOf(dropped), caPem("tracing-platform-2-ca"));
        assert.deepEqual([...signersOf(dropped)], ["tracing-platform-2-ca"]);
        assert.notEqual(collectorsHash(dropped), collectorsHash(tookOver), "the collectors restart onto the smaller bundle");
    });
});
