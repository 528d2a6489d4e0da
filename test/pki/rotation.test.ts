/**
 * The renewal schedule (components/pki/rotation.ts) on a simulated calendar: a `pulumi up` every
 * week (the deploy workflow's schedule), sometimes late, over many certificate lifetimes. What must
 * hold is what the issue asks for: every certificate is replaced before it expires (the VPN server
 * certificate at least a day early, because Client VPN may take 24 h to use a re-imported one), and a
 * platform CA reaches every trust bundle before it signs anything and leaves only after everything
 * it signed has been replaced.
 */
import { strict as assert } from "assert";
import {
    alternatingAuthorities,
    authorityLifetime,
    leafLifetime,
    renewalWindow,
    rotationEpoch,
    scheduleOf,
    scheduledDeployIntervalHours,
    vpnServerAlarmDays,
    vpnServerLeadHours,
    vpnServerLifetime,
    type CertificateLifetime,
    type RenewalSchedule,
} from "../../components/pki/rotation";
import type { Settings } from "../../components/platform/settings";

const hour = 3_600_000;
const defaults: Settings["pki"] = { caValidityHours: 43800, certValidityHours: 4380, earlyRenewalHours: 720 };
/** The tightest settings the validation admits: a renewal window of two weekly deploys. */
const tight: Settings["pki"] = { caValidityHours: 8760, certValidityHours: 1000, earlyRenewalHours: 336 };

/** Weekly deploy times from `start` for `years`, each up to `lateHours` after its slot (a slow queue, a retried job). */
function weeklyDeploys(start: Date, years: number, lateHours = 0): Date[] {
    const runs: Date[] = [];
    for (let week = 0; week * scheduledDeployIntervalHours < years * 8766; week++) {
        const late = lateHours * ((week * 7919) % 13) / 12;
        runs.push(new Date(start.getTime() + (week * scheduledDeployIntervalHours + late) * hour));
    }
    return runs;
}

/**
 * Issues a certificate at the first deploy and re-issues it at every deploy whose window differs
 * from the one it was issued in; returns the smallest margin (hours) any certificate had left when
 * it was replaced.
 */
function smallestMarginAtReplacement(lifetime: CertificateLifetime, schedule: RenewalSchedule, deploys: Date[]): number {
    let issuedAt = deploys[0];
    let window = renewalWindow(schedule, issuedAt);
    let smallest = Infinity;
    for (const deploy of deploys.slice(1)) {
        const current = renewalWindow(schedule, deploy);
        if (current === window) continue;
        const expiry = issuedAt.getTime() + lifetime.validityHours * hour;
        smallest = Math.min(smallest, (expiry - deploy.getTime()) / hour);
        issuedAt = deploy;
        window = current;
    }
    return smallest;
}

describe("PKI renewal schedule", () => {
    it("names a window by its start, the same all through it, and the next one exactly a renewal period later", () => {
        const schedule = scheduleOf(leafLifetime(defaults));
        assert.equal(schedule.periodHours, 4380 - 720);
        const start = renewalWindow(schedule, new Date("2026-12-01T00:00:00Z"));
        const startTime = new Date(start).getTime();
        assert.equal(renewalWindow(schedule, new Date(startTime)), start);
        assert.equal(renewalWindow(schedule, new Date(startTime + schedule.periodHours * hour - 1)), start);
        assert.equal(renewalWindow(schedule, new Date(startTime + schedule.periodHours * hour)), new Date(startTime + schedule.periodHours * hour).toISOString());
        assert.equal(renewalWindow(schedule, rotationEpoch), rotationEpoch.toISOString(), "windows count from the epoch");
    });

    for (const [name, pki] of [["default settings", defaults], ["the tightest valid settings", tight]] as const) {
        describe(name, () => {
            const deploys = weeklyDeploys(new Date("2026-03-14T05:17:00Z"), 12, 20);

            it("replaces every leaf before its own early-renewal window has run out, with weekly deploys", () => {
                const lifetime = leafLifetime(pki);
                const margin = smallestMarginAtReplacement(lifetime, scheduleOf(lifetime), deploys);
                assert.ok(margin >= pki.earlyRenewalHours - scheduledDeployIntervalHours - 20, `a leaf had ${margin} h left`);
                assert.ok(margin > 0);
            });

            it("replaces the VPN server certificate at least a day before it expires, so Client VPN has time to pick it up", () => {
                const lifetime = vpnServerLifetime(pki);
                assert.equal(lifetime.earlyRenewalHours, pki.earlyRenewalHours + vpnServerLeadHours);
                const margin = smallestMarginAtReplacement(lifetime, scheduleOf(lifetime), deploys.map((d) => new Date(d.getTime() - 20 * hour)));
                assert.ok(margin >= vpnServerLeadHours, `the VPN server certificate had only ${margin} h left`);
            });

            it("replaces each platform CA while a whole leaf lifetime remains", () => {
                for (const slot of [0, 1] as const) {
                    const windowOf = (d: Date) => alternatingAuthorities(pki, d).windows[slot];
                    const lifetime = authorityLifetime(pki);
                    let issuedAt = deploys[0];
                    let window = windowOf(issuedAt);
                    for (const deploy of deploys.slice(1)) {
                        if (windowOf(deploy) === window) continue;
                        const left = (issuedAt.getTime() + lifetime.validityHours * hour - deploy.getTime()) / hour;
                        assert.ok(left >= pki.certValidityHours - scheduledDeployIntervalHours - 20, `CA ${slot} had ${left} h left`);
                        issuedAt = deploy;
                        window = windowOf(deploy);
                    }
                }
            });

            it("publishes a new platform CA before it signs, and keeps the old one until everything it signed was replaced", () => {
                let turns = 0;
                for (let i = 1; i < deploys.length; i++) {
                    const before = alternatingAuthorities(pki, deploys[i - 1]);
                    const now = alternatingAuthorities(pki, deploys[i]);
                    assert.ok(now.trusted.includes(now.signer), "the signer is always trusted");
                    for (const slot of [0, 1] as const) {
                        if (before.windows[slot] === now.windows[slot]) continue;
                        // Replaced at this deploy: it left the bundles earlier and signs nothing yet.
                        assert.ok(!before.trusted.includes(slot), `CA ${slot} was replaced while still trusted (deploy ${deploys[i].toISOString()})`);
                        assert.notEqual(now.signer, slot, `CA ${slot} signs in the update that creates it`);
                    }
                    if (now.signer !== before.signer) {
                        turns++;
                        assert.ok(before.trusted.includes(now.signer), `the new signer was not in the bundles one deploy earlier (${deploys[i].toISOString()})`);
                        assert.ok(now.trusted.includes(before.signer), "the old signer stays trusted while its certificates are replaced");
                        assert.equal(now.windows[now.signer], before.windows[now.signer], "the new signer is not replaced when it takes over");
                    }
                    if (before.trusted.length === 2 && now.trusted.length === 1) {
                        assert.equal(before.signer, now.signer, "a CA leaves the bundles only after the hand-over, never with it");
                    }
                }
                assert.ok(turns >= 2, `${turns} hand-overs in twelve years`);
            });
        });
    }

    it("alarms on ACM DaysToExpiry below the days the VPN server certificate has left when a weekly deploy should have renewed it", () => {
        assert.equal(vpnServerAlarmDays(defaults), Math.floor((720 + 24 - 168) / 24));
        assert.equal(vpnServerAlarmDays(tight), 8, "still more than a week at the smallest renewal window");
    });
});
