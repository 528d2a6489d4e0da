/**
 * Lifetimes of the private CAs and the certificates they issue; each must fit inside the one above
 * it, and leave room for the renewal schedule in components/pki/rotation.ts.
 */
import type { Reader } from "./reader";
import type { Settings } from "./types";

/** The deploy workflow's schedule: a `pulumi up` at least this often, so a renewal window this long never passes unseen. */
export const scheduledDeployIntervalHours = 7 * 24;

/**
 * Client VPN picks up a re-imported server certificate by itself, in "an automated process that can
 * take up to 24 hours" (AWS Client VPN administrator guide, mutual authentication), so that
 * certificate renews this much earlier than the other leaves.
 */
export const vpnServerLeadHours = 24;

export function readPki(r: Reader): Settings["pki"] {
    const caValidityHours = r.integer("caValidityHours", 8760, 87600, "hours");
    const certValidityHours = r.integer("certValidityHours", 168, 8760, "hours");
    // Two scheduled deploys inside every renewal window: one of them may fail, and a new platform CA
    // must reach the bundles in a deploy before the one in which it starts signing.
    const earlyRenewalHours = r.integer("certEarlyRenewalHours", 2 * scheduledDeployIntervalHours, 4380, "hours (two weekly scheduled deploys at least)");
    const nested = earlyRenewalHours + vpnServerLeadHours < certValidityHours && certValidityHours < caValidityHours;
    if (earlyRenewalHours + vpnServerLeadHours >= certValidityHours) {
        r.problem(
            "certEarlyRenewalHours",
            earlyRenewalHours,
            `fewer hours than certValidityHours (${certValidityHours}) minus ${vpnServerLeadHours}, the VPN server certificate's extra day`,
        );
    }
    if (certValidityHours >= caValidityHours) {
        r.problem("certValidityHours", certValidityHours, `fewer hours than caValidityHours (${caValidityHours})`);
    }
    // The two platform CAs take turns of (ca - cert) / 2 hours; a new one is trusted certEarlyRenewalHours
    // before its turn and the old one for as long after it, so a turn must hold both overlaps.
    if (nested && caValidityHours - certValidityHours <= 4 * earlyRenewalHours) {
        r.problem(
            "caValidityHours",
            caValidityHours,
            `more than certValidityHours + 4 x certEarlyRenewalHours (${certValidityHours + 4 * earlyRenewalHours}), so each platform CA's turn holds both rotation overlaps`,
        );
    }
    return { caValidityHours, certValidityHours, earlyRenewalHours };
}
