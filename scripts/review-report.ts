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

/** A key setting read from the stack's configuration or, when the program derives it, from a stack output. */
type KeySetting = [label: string, source: { readonly config: string } | { readonly output: string }];

const keySettings: KeySetting[] = [
    ["environment", { config: "tracing-platform:environment" }],
    ["AWS region", { config: "aws:region" }],
    ["AWS account", { config: "aws:allowedAccountIds" }],
    ["trace durability", { config: "tracing-platform:traceDurability" }],
    ["Tempo mode", { output: "tempoMode" }],
    ["trace retention (days)", { config: "tracing-platform:traceRetentionDays" }],
    ["audit retention (days)", { config: "tracing-platform:auditRetentionDays" }],
    ["collector image", { config: "tracing-platform:collectorImage" }],
    ["Tempo image", { config: "tracing-platform:tempoImage" }],
    ["Grafana base image (plugins baked on top)", { config: "tracing-platform:grafanaImage" }],
    ["VPN client CIDR", { config: "tracing-platform:vpnClientCidr" }],
    ["OTLP allow-list", { config: "tracing-platform:appOtlpCidrs" }],
];

function keySettingValue(recording: StackRecording, source: KeySetting[1]): unknown {
    return "config" in source ? recording.config[source.config] : recording.outputs[source.output];
}

/** What the stack promises about acknowledged spans, as the capacity plan states it. */
function durabilityLine(recording: StackRecording): string {
    const durability = (recording.outputs.capacityPlan as { durability?: { setting: string; guarantee: string } } | undefined)?.durability;
    return durability ? `Trace durability \`${durability.setting}\`: ${durability.guarantee}.` : "Trace durability: not reported by the program.";
}

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
        table(["setting", "value"], keySettings.map(([label, source]) => [label, `\`${short(keySettingValue(recording, source) ?? "(default)")}\``])),
        "",
        durabilityLine(recording),
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
