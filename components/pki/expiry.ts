/**
 * The decision of the weekly certificate check (scripts/certificates.ts, run by the deploy workflow
 * after `pulumi up`): which certificates of the deployed stack are inside their early-renewal window
 * although an update just ran. The renewal schedule (rotation.ts) replaces every certificate no later
 * than its renewal point, validity end minus `earlyRenewalHours`, so one found past it after an
 * update means renewal is broken and the certificate will expire unless someone acts.
 */

/** A resource as `pulumi stack export` writes it (deployment.resources[]). */
export interface ExportedResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs?: Readonly<Record<string, unknown>>;
    readonly outputs?: Readonly<Record<string, unknown>>;
    /** Set on the old copy of a replaced resource until the engine has deleted it. */
    readonly delete?: boolean;
}

export interface CertificateStatus {
    /** The resource name (last URN segment). */
    readonly name: string;
    readonly validUntil: Date;
    /** When it should be replaced at the latest: validity end minus its earlyRenewalHours. */
    readonly renewBy: Date;
    /** Past its renewal point: the schedule should already have replaced it. */
    readonly overdue: boolean;
    readonly expired: boolean;
}

export const certificateTypes = ["tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"] as const;

const millisecondsPerHour = 3_600_000;

function field(resource: ExportedResource, key: string): unknown {
    return resource.outputs?.[key] ?? resource.inputs?.[key];
}

/** Every live certificate of an exported stack with its renewal status at `now`. */
export function certificateStatuses(resources: readonly ExportedResource[], now: Date): CertificateStatus[] {
    return resources
        .filter((r) => (certificateTypes as readonly string[]).includes(r.type) && !r.delete)
        .map((certificate) => {
            const name = certificate.urn.split("::").at(-1)!;
            const end = field(certificate, "validityEndTime");
            const early = field(certificate, "earlyRenewalHours");
            const validUntil = new Date(String(end));
            if (typeof end !== "string" || Number.isNaN(validUntil.getTime())) throw new Error(`${name} has no validityEndTime in the exported state`);
            const renewBy = new Date(validUntil.getTime() - (typeof early === "number" ? early : 0) * millisecondsPerHour);
            return { name, validUntil, renewBy, overdue: now >= renewBy, expired: now >= validUntil };
        })
        .sort((a, b) => a.renewBy.getTime() - b.renewBy.getTime());
}

/** The resources of a `pulumi stack export` document; throws if the document is not one. */
export function exportedResources(document: unknown): ExportedResource[] {
    const resources = (document as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
    if (!Array.isArray(resources)) throw new Error("not a `pulumi stack export` document (no deployment.resources)");
    return resources as ExportedResource[];
}
