/**
 * `npm run certificates -- --state <file> [--now <ISO instant>]`: the weekly certificate check.
 * Reads a `pulumi stack export` of a deployed stack and lists every certificate with the date it
 * must be renewed by; exits 1 if any is past that date (the update that just ran should have
 * replaced it: renewal is broken), 2 on bad usage or a file that is not a stack export.
 */
import * as fs from "fs";
import { certificateStatuses, exportedResources, type CertificateStatus } from "../components/pki/expiry";
import { errorMessage, runAsScript, type Output } from "./cli";

function line(status: CertificateStatus): string {
    const state = status.expired ? "EXPIRED" : status.overdue ? "NOT RENEWED" : "ok";
    return `${status.overdue ? "✘" : "✔"} ${status.name}: valid until ${status.validUntil.toISOString()}, renew by ${status.renewBy.toISOString()} (${state})`;
}

/** The command: 0 when every certificate was renewed in time, 1 when one was not, 2 on bad usage or input. */
export function certificatesCommand(args: readonly string[], output: Output): number {
    const argument = (name: string) => {
        const index = args.indexOf(`--${name}`);
        return index >= 0 ? args[index + 1] : undefined;
    };
    const state = argument("state");
    const now = new Date(argument("now") ?? Date.now());
    if (!state || Number.isNaN(now.getTime())) {
        output.err("usage: npm run certificates -- --state <pulumi stack export file> [--now <ISO 8601 instant>]");
        return 2;
    }
    let statuses: CertificateStatus[];
    try {
        statuses = certificateStatuses(exportedResources(JSON.parse(fs.readFileSync(state, "utf8"))), now);
    } catch (error) {
        output.err(errorMessage(error));
        return 2;
    }
    for (const status of statuses) output.out(line(status));
    const overdue = statuses.filter((s) => s.overdue);
    if (overdue.length === 0) {
        output.out(`${statuses.length} certificates, none past its renewal date.`);
        return 0;
    }
    output.err(
        `${overdue.length} certificate(s) past their renewal date although pulumi up just ran: renewal is broken. ` +
            "See docs/operations.md, Rotate certificates.",
    );
    return 1;
}

if (require.main === module) runAsScript(certificatesCommand, errorMessage, 2);
