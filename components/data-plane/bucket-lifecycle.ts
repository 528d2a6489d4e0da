/**
 * Lifecycle rules of the platform's buckets, as plain data shaped like the provider's
 * BucketLifecycleConfiguration rules (arrays left mutable so they pass to the provider as they are).
 */

export interface LifecycleRule {
    readonly id: string;
    readonly status: "Enabled";
    /** Empty filter: the rule applies to every object. */
    readonly filter: Record<string, never>;
    readonly expiration?: { readonly days?: number; readonly expiredObjectDeleteMarker?: boolean };
    readonly transitions?: { readonly days: number; readonly storageClass: string }[];
    readonly noncurrentVersionExpiration?: { readonly noncurrentDays: number };
    readonly abortIncompleteMultipartUpload?: { readonly daysAfterInitiation: number };
}

/** Tempo writes blocks as multipart uploads; one a crash left behind is useless after a day. */
export const abortIncompleteUploadsAfterDays = 1;

/**
 * How long a deleted or overwritten trace object stays recoverable. Short on purpose: Tempo's
 * compaction deletes blocks constantly, and deleted trace data should not linger (minimisation).
 */
export const traceNoncurrentVersionDays = 3;

/** How long a deleted or overwritten log object stays recoverable in the log buckets. */
export const logNoncurrentVersionDays = 30;

/**
 * Storage classes log objects move to as they age, with the minimum storage duration S3 bills for
 * each: a transition is only worth it if the object then stays at least that long.
 */
export const archiveTiers = [
    { storageClass: "STANDARD_IA", afterDays: 30, minimumStorageDays: 30 },
    { storageClass: "GLACIER_IR", afterDays: 90, minimumStorageDays: 90 },
] as const;

const removeExpiredDeleteMarkers: LifecycleRule = {
    id: "remove-expired-delete-markers",
    status: "Enabled",
    filter: {},
    expiration: { expiredObjectDeleteMarker: true },
};

/**
 * Trace bucket: Tempo deletes blocks itself once they pass its retention; the bucket expires
 * objects one day later as a backstop, so S3 never removes a block Tempo still serves.
 */
export function traceBucketLifecycle(traceRetentionDays: number): LifecycleRule[] {
    return [
        {
            id: "expire-trace-blocks-after-retention",
            status: "Enabled",
            filter: {},
            expiration: { days: traceRetentionDays + 1 },
            noncurrentVersionExpiration: { noncurrentDays: traceNoncurrentVersionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: abortIncompleteUploadsAfterDays },
        },
        removeExpiredDeleteMarkers,
    ];
}

/**
 * Log buckets (audit, access logs): move logs to colder storage as they age, expire them when
 * their retention ends. On the audit bucket Object Lock keeps every version for the same period,
 * so expiry can never remove a log early. S3's default minimum transition size (128 KiB) stays:
 * smaller log files would cost more in the colder classes than in Standard.
 */
export function logArchiveLifecycle(retentionDays: number): LifecycleRule[] {
    const transitions = archiveTiers
        .filter((tier) => retentionDays - tier.afterDays >= tier.minimumStorageDays)
        .map((tier) => ({ days: tier.afterDays, storageClass: tier.storageClass }));
    return [
        {
            id: "archive-then-expire-logs",
            status: "Enabled",
            filter: {},
            ...(transitions.length > 0 ? { transitions } : {}),
            expiration: { days: retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: logNoncurrentVersionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: abortIncompleteUploadsAfterDays },
        },
        removeExpiredDeleteMarkers,
    ];
}

/**
 * Object Lock mode of the audit bucket. COMPLIANCE in prod: nobody, root included, can shorten
 * the retention or delete a locked version. GOVERNANCE elsewhere: privileged users can still clean
 * up a dev or test environment.
 */
export function auditObjectLockMode(isProduction: boolean): "COMPLIANCE" | "GOVERNANCE" {
    return isProduction ? "COMPLIANCE" : "GOVERNANCE";
}
