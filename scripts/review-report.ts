/**
 * Renders the offline review of a recorded stack as Markdown: what the stack would create, its key
 * settings, its outputs and the policy pack's verdict. Pure, so the review script and the tests
 * render the same report.
 */
import { renderPolicyReport } from "../policies/report";
import { hasMandatoryViolations, type PolicyRunResult } from "../policies/runner";
import type { StackRecording } from "../test/harness/recording";

function table(header: string[], rows: string[][]): string {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function short(value: unknown): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Resource counts and names grouped by type, components first. */
export function resourcesByType(recording: StackRecording): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    const sorted = [...recording.resources].sort((a, b) => Number(a.custom) - Number(b.custom) || a.type.localeCompare(b.type));
    for (const resource of sorted) {
        const name = resource.type.startsWith("kubernetes:")
            ? `${resource.inputs.metadata?.namespace ? `${resource.inputs.metadata.namespace}/` : ""}${resource.inputs.metadata?.name ?? resource.name}`
            : resource.name;
        groups.set(resource.type, [...(groups.get(resource.type) ?? []), name]);
    }
    return groups;
}

const keySettings: [string, string][] = [
    ["environment", "tracing-platform:environment"],
    ["AWS region", "aws:region"],
    ["AWS account", "aws:allowedAccountIds"],
    ["Tempo mode", "tracing-platform:tempoMode"],
    ["trace retention (days)", "tracing-platform:traceRetentionDays"],
    ["audit retention (days)", "tracing-platform:auditRetentionDays"],
    ["collector image", "tracing-platform:collectorImage"],
    ["Tempo image", "tracing-platform:tempoImage"],
    ["Grafana base image (plugins baked on top)", "tracing-platform:grafanaImage"],
    ["VPN client CIDR", "tracing-platform:vpnClientCidr"],
    ["OTLP allow-list", "tracing-platform:appOtlpCidrs"],
];

/** Exit status of a review: 1 when a mandatory rule is violated. */
export function reviewExitCode(policies: PolicyRunResult): number {
    return hasMandatoryViolations(policies) ? 1 : 0;
}

export function renderReview(recording: StackRecording, policies: PolicyRunResult): string {
    const groups = resourcesByType(recording);
    const custom = recording.resources.filter((r) => r.custom).length;
    return [
        `# Offline review: stack \`${recording.stack}\``,
        "",
        `${custom} resources in ${recording.resources.length - custom} components would be created.`,
        "",
        "## Key settings",
        "",
        table(["setting", "value"], keySettings.map(([label, key]) => [label, `\`${short(recording.config[key] ?? "(default)")}\``])),
        "",
        "## Resources by type",
        "",
        table(
            ["type", "count", "names"],
            [...groups].map(([type, names]) => [`\`${type}\``, String(names.length), short(names.join(", "))]),
        ),
        "",
        "## Stack outputs",
        "",
        table(["output", "value"], Object.entries(recording.outputs).map(([name, value]) => [name, `\`${short(value)}\``])),
        "",
        renderPolicyReport(policies),
    ].join("\n");
}
