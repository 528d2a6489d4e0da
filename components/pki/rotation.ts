/**
 * When each certificate is renewed, as plain arithmetic on a clock, so a stack recorded at any date
 * shows exactly what that date's `pulumi up` would replace.
 *
 * @pulumi/tls does not replace a certificate that reaches its early-renewal window
 * (pulumi/pulumi-tls#39, open since 2020): `earlyRenewalHours` only flips `readyForRenewal`. So
 * every key and certificate carries a `replacementTrigger` naming the renewal window the clock is in;
 * the first `pulumi up` in a new window replaces it. A certificate's windows are as long as its
 * validity minus its early-renewal hours, so a certificate issued anywhere in a window is replaced,
 * at the latest, when its own early-renewal window opens; the weekly deploy makes that happen within
 * a week, and certEarlyRenewalHours is at least two weeks, so one failed run costs nothing.
 *
 * The platform CA is two authorities that take turns (see `alternatingAuthorities`), so a new CA is
 * in every trust bundle before it signs anything and the old one stays trusted until every
 * certificate it signed has been replaced and reloaded.
 */
import { scheduledDeployIntervalHours, vpnServerLeadHours, type Settings } from "../platform/settings";

export { scheduledDeployIntervalHours, vpnServerLeadHours };

type Lifetimes = Settings["pki"];

const millisecondsPerHour = 3_600_000;

/** Renewal windows count from this instant. Changing it would move every window and renew everything at once. */
export const rotationEpoch = new Date("2026-01-01T00:00:00Z");

/** How long a certificate is valid and how early before its expiry it is renewed. */
export interface CertificateLifetime {
    readonly validityHours: number;
    readonly earlyRenewalHours: number;
}

/** Repeating renewal windows: whenever the clock enters a new one, the certificate is replaced. */
export interface RenewalSchedule {
    /** Hours between renewals: validity minus the early-renewal window. */
    readonly periodHours: number;
    /** Start of the windows, in hours after the epoch. */
    readonly offsetHours: number;
}

/** Workload, sender and VPN client certificates. */
export function leafLifetime(pki: Lifetimes): CertificateLifetime {
    return { validityHours: pki.certValidityHours, earlyRenewalHours: pki.earlyRenewalHours };
}

/** The Client VPN server certificate: a day earlier than the other leaves. */
export function vpnServerLifetime(pki: Lifetimes): CertificateLifetime {
    return { validityHours: pki.certValidityHours, earlyRenewalHours: pki.earlyRenewalHours + vpnServerLeadHours };
}

/** An authority renews while a whole leaf lifetime remains, so no leaf it signed outlives it. */
export function authorityLifetime(pki: Lifetimes): CertificateLifetime {
    return { validityHours: pki.caValidityHours, earlyRenewalHours: pki.certValidityHours };
}

/** Windows as long as the lifetime's renewal period, starting at the epoch (plus an offset). */
export function scheduleOf(lifetime: CertificateLifetime, offsetHours = 0): RenewalSchedule {
    return { periodHours: lifetime.validityHours - lifetime.earlyRenewalHours, offsetHours };
}

function hoursSinceEpoch(now: Date): number {
    return (now.getTime() - rotationEpoch.getTime()) / millisecondsPerHour;
}

/** The window `now` is in, named by its start: the value of the replacementTrigger. */
export function renewalWindow(schedule: RenewalSchedule, now: Date): string {
    const index = Math.floor((hoursSinceEpoch(now) - schedule.offsetHours) / schedule.periodHours);
    const startHours = index * schedule.periodHours + schedule.offsetHours;
    return new Date(rotationEpoch.getTime() + startHours * millisecondsPerHour).toISOString();
}

/** One of the two platform authorities. */
export type AuthoritySlot = 0 | 1;

export interface AlternatingAuthorities {
    /** Renewal window of each authority (its replacementTrigger). */
    readonly windows: readonly [string, string];
    /** The authority that signs leaf certificates now. */
    readonly signer: AuthoritySlot;
    /** The authorities every trust bundle carries now, in slot order, so a hand-over alone leaves the bundle as it is. */
    readonly trusted: readonly AuthoritySlot[];
}

/**
 * Two authorities that take turns signing, each for `turn` = (caValidityHours - certValidityHours) / 2
 * hours. An authority is created (or re-created) `overlap` = certEarlyRenewalHours before its turn
 * and is trusted from then on; at its turn every leaf is re-signed by it; the previous signer stays
 * trusted for another `overlap`, then leaves the bundles, and is re-created at its next turn. So:
 *
 *   - a new CA reaches every trust bundle (and every workload reloads it) before any certificate it
 *     signed is presented, and
 *   - the old CA is dropped only after every certificate it signed has been replaced and reloaded.
 *
 * Each authority is replaced every 2 x turn = caValidityHours - certValidityHours hours, the same
 * "renew while a whole leaf lifetime remains" as a single CA. Settings require turn > 2 x overlap,
 * so the windows before and after a turn never meet.
 */
export function alternatingAuthorities(pki: Lifetimes, now: Date): AlternatingAuthorities {
    const turn = (pki.caValidityHours - pki.certValidityHours) / 2;
    const overlap = pki.earlyRenewalHours;
    const hours = hoursSinceEpoch(now);
    const index = Math.floor(hours / turn);
    const signer = (((index % 2) + 2) % 2) as AuthoritySlot;
    const takingOver = hours >= (index + 1) * turn - overlap;
    const handingOver = hours < index * turn + overlap;
    const lifetime = authorityLifetime(pki);
    const window = (slot: AuthoritySlot) => renewalWindow(scheduleOf(lifetime, slot * turn - overlap), now);
    return { windows: [window(0), window(1)], signer, trusted: takingOver || handingOver ? [0, 1] : [signer] };
}

/**
 * The ACM `DaysToExpiry` below which the VPN server certificate has missed its renewal: it renews
 * certEarlyRenewalHours + 24 h before expiry and a scheduled deploy follows within a week.
 */
export function vpnServerAlarmDays(pki: Lifetimes): number {
    return Math.floor((vpnServerLifetime(pki).earlyRenewalHours - scheduledDeployIntervalHours) / 24);
}
