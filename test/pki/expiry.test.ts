/**
 * Expiry is visible (issue 15, item 7): the ACM DaysToExpiry alarm on the imported VPN server
 * certificate, notifying the alert topic, and the weekly check that fails when a certificate is past
 * its renewal point after an update (components/pki/expiry.ts, scripts/certificates.ts), run on
 * `pulumi stack export` documents shaped like the real ones.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { certificateStatuses, exportedResources, type ExportedResource } from "../../components/pki/expiry";
import { vpnServerAlarmDays } from "../../components/pki/rotation";
import { oneOfType, shippedStacks, stackRecording } from "../harness/program";
import { dependencyOfType, settingsOf } from "../harness/recorded";
import { projectRoot } from "../harness/stack-config";
import { certificatesCommand } from "../../scripts/certificates";
import { capturedOutput } from "../../scripts/cli";

const leafType = "tls:index/locallySignedCert:LocallySignedCert";
const caType = "tls:index/selfSignedCert:SelfSignedCert";

function certificate(name: string, type: string, validityEndTime: string, earlyRenewalHours: number, extra: Partial<ExportedResource> = {}): ExportedResource {
    return {
        urn: `urn:pulumi:prod::tracing-platform::tracing:pki:PlatformPki$${type}::${name}`,
        type,
        inputs: { earlyRenewalHours, validityPeriodHours: 4380 },
        outputs: { earlyRenewalHours, validityEndTime, readyForRenewal: false, certPem: "-----BEGIN CERTIFICATE-----\n..." },
        ...extra,
    };
}

/** A stack export as `pulumi stack export` writes it: version 3, resources under deployment. */
function stackExport(resources: ExportedResource[]): unknown {
    return { version: 3, deployment: { manifest: { time: "2027-03-01T06:20:00Z", magic: "", version: "v3.248.0" }, resources } };
}

const now = new Date("2027-03-01T06:30:00Z");
const exported = [
    certificate("tracing-agent-server-cert", leafType, "2027-07-01T00:00:00Z", 720),
    // 744 h before 2027-03-31T00:00Z is 2027-02-28T00:00Z: the VPN server should have been renewed.
    certificate("tracing-vpn-server-cert", leafType, "2027-03-31T00:00:00Z", 744),
    certificate("tracing-platform-ca", caType, "2030-12-01T00:00:00Z", 4380),
    certificate("tracing-grafana-client-cert", leafType, "2027-02-20T00:00:00Z", 720, { delete: true }),
    { urn: "urn:pulumi:prod::tracing-platform::aws:acm/certificate:Certificate::tracing-server-certificate", type: "aws:acm/certificate:Certificate", outputs: { notAfter: "2027-03-31T00:00:00Z" } },
];

describe("certificate check: the decision", () => {
    it("lists every live certificate with the date it must be renewed by, its own earlyRenewalHours before it expires", () => {
        const statuses = certificateStatuses(exported, now);
        assert.deepEqual(statuses.map((s) => s.name), ["tracing-vpn-server-cert", "tracing-agent-server-cert", "tracing-platform-ca"], "soonest first; no pending delete, no ACM copy");
        const vpn = statuses[0];
        assert.equal(vpn.renewBy.toISOString(), "2027-02-28T00:00:00.000Z");
        assert.deepEqual([vpn.overdue, vpn.expired], [true, false]);
        assert.ok(statuses.slice(1).every((s) => !s.overdue));
    });

    it("is exact at the renewal point and tells an expired certificate apart", () => {
        const [atPoint] = certificateStatuses([certificate("c", leafType, "2027-03-31T00:00:00Z", 744)], new Date("2027-02-28T00:00:00Z"));
        assert.equal(atPoint.overdue, true);
        const [justBefore] = certificateStatuses([certificate("c", leafType, "2027-03-31T00:00:00Z", 744)], new Date("2027-02-27T23:59:59Z"));
        assert.equal(justBefore.overdue, false);
        const [expired] = certificateStatuses([certificate("c", leafType, "2027-03-31T00:00:00Z", 744)], new Date("2027-04-01T00:00:00Z"));
        assert.deepEqual([expired.overdue, expired.expired], [true, true]);
    });

    it("refuses a certificate without a validity end and a document that is not a stack export", () => {
        assert.throws(() => certificateStatuses([{ urn: "a::b::c", type: leafType, outputs: {} }], now), /c has no validityEndTime/);
        assert.throws(() => exportedResources({ resources: [] }), /not a `pulumi stack export` document/);
        assert.equal(exportedResources(stackExport(exported)).length, exported.length);
    });
});

describe("certificate check: npm run certificates", () => {
    const run = async (args: string[]) => {
        const output = capturedOutput();
        const code = certificatesCommand(args, output);
        return { code, stdout: output.stdout(), stderr: output.stderr() };
    };
    const runScript = (args: string[]) =>
        new Promise<number>((resolve) => {
            execFile(process.execPath, ["--import", "tsx", "scripts/certificates.ts", ...args], { cwd: projectRoot }, (error) => resolve(error ? Number(error.code) : 0));
        });
    let dir: string;
    const write = (name: string, content: unknown) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, JSON.stringify(content));
        return file;
    };
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "certificate-check-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("fails, naming the certificate, when one is past its renewal date", async () => {
        const result = await run(["--state", write("overdue.json", stackExport(exported)), "--now", now.toISOString()]);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stdout, /✘ tracing-vpn-server-cert: valid until 2027-03-31T00:00:00.000Z, renew by 2027-02-28T00:00:00.000Z \(NOT RENEWED\)/);
        assert.match(result.stdout, /✔ tracing-agent-server-cert/);
        assert.match(result.stderr, /1 certificate\(s\) past their renewal date although pulumi up just ran/);
    });

    it("passes when every certificate was renewed in time", async () => {
        const renewed = exported.filter((r) => !r.urn.endsWith("tracing-vpn-server-cert"));
        const result = await run(["--state", write("fine.json", stackExport(renewed)), "--now", now.toISOString()]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /2 certificates, none past its renewal date\./);
    });

    it("exits 2 on bad usage or a file that is not a stack export", async () => {
        assert.equal((await run([])).code, 2);
        const notExport = await run(["--state", write("other.json", { hello: "world" })]);
        assert.equal(notExport.code, 2);
        assert.match(notExport.stderr, /not a `pulumi stack export` document/);
    });

    it("as a script, exits with the command's code (1 for a certificate past its renewal date)", async () => {
        assert.equal(await runScript(["--state", write("overdue-script.json", stackExport(exported)), "--now", now.toISOString()]), 1);
    });
});

for (const stack of shippedStacks) {
    describe(`certificate expiry alarm (${stack})`, () => {
        it("alarms on the imported VPN server certificate's DaysToExpiry, to the alert topic, once a scheduled renewal was missed", async () => {
            const recording = await stackRecording(stack);
            const alarm = oneOfType(recording, "aws:cloudwatch/metricAlarm:MetricAlarm", "tracing-vpn-server-expiry");
            assert.equal(alarm.inputs.name, `tracing-${stack}-vpn-server-certificate-expiry`);
            assert.deepEqual([alarm.inputs.namespace, alarm.inputs.metricName], ["AWS/CertificateManager", "DaysToExpiry"]);
            const certificate = dependencyOfType(recording, alarm, "dimensions", "aws:acm/certificate:Certificate");
            const vpn = oneOfType(recording, "aws:ec2clientvpn/endpoint:Endpoint");
            assert.equal(dependencyOfType(recording, vpn, "serverCertificateArn", "aws:acm/certificate:Certificate").urn, certificate.urn, "the certificate the endpoint serves");
            assert.deepEqual(Object.keys(alarm.inputs.dimensions), ["CertificateArn"]);
            assert.deepEqual([alarm.inputs.statistic, alarm.inputs.comparisonOperator, alarm.inputs.period], ["Minimum", "LessThanThreshold", 86400]);
            assert.equal(alarm.inputs.threshold, vpnServerAlarmDays(settingsOf(recording).pki));
            assert.ok(alarm.inputs.threshold >= 8, "more than a week's warning");
            assert.equal(alarm.inputs.treatMissingData, "missing", "ACM stops publishing at expiry; the alarm stays raised");
            const topic = oneOfType(recording, "aws:sns/topic:Topic");
            for (const actions of ["alarmActions", "okActions"]) {
                assert.equal(dependencyOfType(recording, alarm, actions, "aws:sns/topic:Topic").urn, topic.urn, actions);
                assert.deepEqual(alarm.inputs[actions], [recording.outputs.alertTopicArn]);
            }
        });
    });
}
