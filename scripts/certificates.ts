/**
 * `npm run certificates -- --state <file> [--now <ISO instant>]`: the weekly certificate check.
 * Reads a `pulumi stack export` of a deployed stack and lists every certificate with the date it
 * must be renewed by; exits 1 if any is past that date (the update that just ran should have
 * replaced it: renewal is broken), 2 on bad usage or a file that is not a stack export.
 */
import * as fs from "fs";
import { certificateStatuses, exportedResources, type CertificateStatus } from "../components/pki/expiry";

function argument(name: string): string | undefined {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? process.argv[index + 1] : undefined;
}

function line(status: CertificateStatus): string {
    const state = status.expired ? "EXPIRED" : status.overdue ? "NOT RENEWED" : "ok";
    return `${status.overdue ? "✘" : "✔"} ${status.name}: valid until ${status.validUntil.toISOString()}, renew by ${status.renewBy.toISOString()} (${state})`;
}

function main(): number {
    const state = argument("state");
    const now = new Date(argument("now") ?? Date.now());
    if (!state || Number.isNaN(now.getTime())) {
        console.error("usage: npm run certificates -- --state <pulumi stack export file> [--now <ISO 8601 instant>]");
        return 2;
    }
    const statuses = certificateStatuses(exportedResources(JSON.parse(fs.readFileSync(state, "utf8"))), now);
    for (const status of statuses) console.log(line(status));
    const overdue = statuses.filter((s) => s.overdue);
    if (overdue.length === 0) {
        console.log(`${statuses.length} certificates, none past its renewal date.`);
        return 0;
    }
    console.error(
        `${overdue.length} certificate(s) past their renewal date although pulumi up just ran: renewal is broken. ` +
            "See docs/operations.md, Rotate certificates.",
    );
    return 1;
}

try {
    process.exit(main());
} catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
}
