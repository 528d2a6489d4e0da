/**
 * The policy part of the Markdown review `npm run review` prints (after the resources it would
 * create): which rules passed, failed or had nothing to check, and each violation with its resource
 * and the fix.
 */
import { packName, ruleMetadata } from "./rules/index";
import type { PolicyRunResult } from "./runner";

/** The "Fix: ..." part of a rule's description. */
export function fixOf(description: string): string {
    const at = description.indexOf("Fix:");
    return at >= 0 ? description.slice(at + "Fix:".length).trim() : description;
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Renders the review of one stack as Markdown. */
export function renderPolicyReport(result: PolicyRunResult): string {
    const lines: string[] = [`## Policy review of stack \`${result.stack}\` (${packName})`];

    const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const advisory = result.violations.length - mandatory;
    const passed = result.outcomes.filter((o) => o.applicable && o.violations === 0);
    const failed = result.outcomes.filter((o) => o.violations > 0);
    const idle = result.outcomes.filter((o) => !o.applicable);
    lines.push(
        "",
        `### Rules: ${passed.length} passed, ${failed.length} violated, ${idle.length} with nothing to check`,
        "",
        "| Rule | Enforcement | Result |",
        "|---|---|---|",
        ...result.outcomes.map((o) => `| \`${o.name}\` | ${o.enforcementLevel} | ${o.violations > 0 ? `${o.violations} violation(s)` : o.applicable ? "passed" : "nothing to check"} |`),
    );

    lines.push("", `### Violations: ${mandatory} mandatory, ${advisory} advisory`, "");
    if (result.violations.length === 0) lines.push("None.");
    else {
        const descriptions = new Map(ruleMetadata.map((rule) => [rule.name, rule.description]));
        lines.push("| Level | Rule | Resource | Violation | Fix |", "|---|---|---|---|---|");
        for (const v of result.violations) {
            lines.push(`| ${v.enforcementLevel} | \`${v.policy}\` | ${cell(v.resourceName ?? "(stack)")} | ${cell(v.message)} | ${cell(fixOf(descriptions.get(v.policy) ?? ""))} |`);
        }
    }
    if (result.undecided.length > 0) {
        lines.push("", `### Undecided until deployment (${result.undecided.length})`, "", "| Rule | Resource | Why |", "|---|---|---|");
        for (const u of result.undecided) lines.push(`| \`${u.policy}\` | ${cell(u.resourceName ?? "(stack)")} | ${cell(u.reason)} |`);
    }
    return `${lines.join("\n")}\n`;
}
