/**
 * What a preflight check reports: one line per check, a tick or a cross, what was found and, for a
 * failure, how to fix it. A check that depends on something unavailable (the Kubernetes API) says
 * it was not checked instead of failing a second time for the same cause.
 */

export type Outcome = "pass" | "fail" | "skip";

export interface CheckResult {
    readonly outcome: Outcome;
    /** What was checked, e.g. "EKS cluster apps-dev". */
    readonly check: string;
    /** What was found (for a skipped check: why it was not checked). */
    readonly found: string;
    /** For a failure: what to do about it. */
    readonly fix?: string;
}

export const pass = (check: string, found: string): CheckResult => ({ outcome: "pass", check, found });
export const fail = (check: string, found: string, fix: string): CheckResult => ({ outcome: "fail", check, found, fix });
export const skip = (check: string, reason: string): CheckResult => ({ outcome: "skip", check, found: reason });

const marks: Record<Outcome, string> = { pass: "✔", fail: "✘", skip: "–" };

export function formatResult(result: CheckResult): string {
    const line = `${marks[result.outcome]} ${result.check}: ${result.found}`;
    if (result.outcome === "skip") return `${line} (not checked)`;
    return result.fix ? `${line}. Fix: ${result.fix}` : line;
}

/**
 * Stops the whole run with one line. Raised for conditions every later check would trip over in the
 * same way (no credentials, the wrong account, AWS out of reach, no such cluster), so the user sees
 * the cause once instead of a cascade.
 */
export class PreflightStop extends Error {
    constructor(readonly result: CheckResult) {
        super(formatResult(result));
        this.name = "PreflightStop";
    }
}
