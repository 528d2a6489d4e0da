/**
 * Turns AWS SDK errors into one readable line. Credential and network errors stop the run (every
 * later call would fail the same way); anything else fails only the check that made the call.
 */
import { fail, PreflightStop, type CheckResult } from "./result";

/** Where the run is pointed, for messages that tell the user which file or account to look at. */
export interface Target {
    readonly stack: string;
    readonly region: string;
    readonly accountId: string;
}

const missingCredentials = new Set(["CredentialsProviderError"]);
const expiredCredentials = new Set(["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired", "RequestExpired"]);
const rejectedCredentials = new Set([
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "AuthFailure",
]);
export const networkErrorCodes = new Set([
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "TimeoutError",
]);
const accessDenied = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"]);

/** The error's code as the SDK or Node reports it (name for service errors, code for sockets). */
export function errorCode(error: unknown): string {
    if (!(error instanceof Error)) return "Error";
    const withCode = error as Error & { code?: unknown; cause?: { code?: unknown } };
    if (typeof withCode.code === "string") return withCode.code;
    if (typeof withCode.cause?.code === "string") return withCode.cause.code;
    return error.name;
}

/** The first line of the error's message, short enough for one output line. */
export function errorSummary(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const first = message.split("\n")[0].trim();
    return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}

function isExpired(code: string, summary: string): boolean {
    return expiredCredentials.has(code) || (missingCredentials.has(code) && /expired/i.test(summary));
}

/** The one line that stops the run, if the error means no AWS call can succeed. */
export function stopFor(error: unknown, service: string, target: Target): PreflightStop | undefined {
    const code = errorCode(error);
    const summary = errorSummary(error);
    const signIn = `sign in to account ${target.accountId} (aws sso login --profile <profile> and export AWS_PROFILE=<profile>, or export the deploy role's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN)`;
    if (isExpired(code, summary)) {
        return new PreflightStop(fail("AWS credentials", `expired (${summary})`, `refresh them: ${signIn}`));
    }
    if (missingCredentials.has(code)) {
        return new PreflightStop(fail("AWS credentials", `none found (${summary})`, signIn));
    }
    if (rejectedCredentials.has(code)) {
        return new PreflightStop(fail("AWS credentials", `rejected by AWS (${code}: ${summary})`, signIn));
    }
    if (networkErrorCodes.has(code)) {
        return new PreflightStop(
            fail(
                "AWS API",
                `cannot reach ${service} in ${target.region} (${code}: ${summary})`,
                `check aws:region in Pulumi.${target.stack}.yaml and this machine's network (VPN, HTTPS_PROXY)`,
            ),
        );
    }
    return undefined;
}

/**
 * Runs one check's AWS calls. A credential or network error stops the run; any other error fails
 * this check with the API action that failed and, for a denial, the permission to grant.
 */
export async function guarded(
    check: string,
    action: string,
    target: Target,
    run: () => Promise<CheckResult>,
): Promise<CheckResult> {
    try {
        return await run();
    } catch (error) {
        if (error instanceof PreflightStop) throw error;
        const stop = stopFor(error, action.split(":")[0], target);
        if (stop) throw stop;
        const code = errorCode(error);
        if (accessDenied.has(code)) {
            return fail(check, `${action} was denied (${errorSummary(error)})`, `allow ${action} to the identity running the preflight`);
        }
        return fail(check, `${action} failed (${code}: ${errorSummary(error)})`, "rerun; if it persists, run the same call with the AWS CLI to see the full error");
    }
}
