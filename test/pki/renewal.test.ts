/**
 * Certificate renewal as `pulumi up` would do it on a given day: the real program recorded with its
 * clock moved (TRACING_PLATFORM_NOW, set by the harness). The engine replaces a resource whose
 * `replacementTrigger` differs from the one recorded at the previous update (pulumi/pulumi
 * step_generator shouldTriggerReplace), so two recordings' triggers name exactly what the later
 * update replaces; @pulumi/tls alone would replace nothing (pulumi/pulumi-tls#39).
 */
import { strict as assert } from "assert";
import { leafLifetime, renewalWindow, scheduleOf, vpnServerLifetime, type RenewalSchedule } from "../../components/pki/rotation";
import { byUrn, ofType, recordingClock, recordStack, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
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

