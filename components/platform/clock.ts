/**
 * The program's notion of "now". Certificate renewal is decided from it (components/pki/rotation.ts),
 * so it is read in exactly this one place: normally the real time of the `pulumi up`, but
 * `TRACING_PLATFORM_NOW` (an ISO 8601 instant) replaces it, which lets
 *  - the tests record a stack at any date (a fake clock), and
 *  - the weekly drift check preview with the clock of the last update, so that a renewal falling
 *    due is not mistaken for drift (see .github/workflows/deploy.yml), and
 *  - an operator preview what a future date would renew (`TRACING_PLATFORM_NOW=2027-05-01T00:00:00Z pulumi preview`).
 */

/** Environment variable that overrides the program's clock. */
export const clockVariable = "TRACING_PLATFORM_NOW";

/** `TRACING_PLATFORM_NOW` if set (it must be a valid ISO 8601 instant with a time zone), else the real time. */
export function platformClock(environment: Readonly<Record<string, string | undefined>> = process.env): Date {
    const value = environment[clockVariable];
    if (value === undefined || value === "") return new Date();
    const parsed = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(parsed.getTime())) {
        throw new Error(`${clockVariable} is '${value}'; allowed: an ISO 8601 instant with a time zone, such as 2027-05-01T00:00:00Z`);
    }
    return parsed;
}
