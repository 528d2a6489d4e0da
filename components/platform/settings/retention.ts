/** How long traces, audit records, logs and deleted keys are kept; prod keeps evidence longer. */
import type { Reader } from "./reader";
import type { Settings } from "./types";

/** Retention values CloudWatch Logs accepts (days). */
export const cloudWatchRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function readRetention(r: Reader, isProduction: boolean): Settings["retention"] {
    const traceDays = r.integer("traceRetentionDays", 1, 400, "days");
    const auditDays = r.integer("auditRetentionDays", 90, 3650, "days");
    if (isProduction && auditDays < 365) r.problem("auditRetentionDays", auditDays, "at least 365 days in prod");
    const logDays = r.integer("logRetentionDays", 90, 3653, "days");
    if (!(cloudWatchRetentionDays as readonly number[]).includes(logDays)) {
        r.problem("logRetentionDays", logDays, `a CloudWatch retention value (${cloudWatchRetentionDays.filter((d) => d >= 90).join(", ")})`);
    }
    if (isProduction && logDays < 365) r.problem("logRetentionDays", logDays, "at least 365 days in prod");
    return { traceDays, auditDays, logDays };
}

/** The waiting period before a deleted KMS key is gone for good (and its data with it). */
export function readKms(r: Reader, isProduction: boolean): Settings["kms"] {
    const deletionWindowDays = r.integer("kmsDeletionWindowDays", 7, 30, "days");
    if (isProduction && deletionWindowDays !== 30) r.problem("kmsDeletionWindowDays", deletionWindowDays, "30 days in prod");
    return { deletionWindowDays };
}
