/**
 * Every rule of the tracing-platform-security pack, in one list, with the metadata the rules table
 * in docs/policy-rules.md, the enforcement configs and the tests derive from. Import from here
 * (never from policies/index.ts, which starts the policy pack's server).
 */
import type { Policies } from "@pulumi/policy";
import { alarmRules } from "./alarms";
import { cloudTrailRules } from "./cloudtrail";
import { collectorRules } from "./collectors";
import { grafanaRules } from "./grafana";
import { iamRules } from "./iam";
import { identityRules } from "./identity";
import { isolationRules } from "./isolation";
import { kmsRules } from "./kms";
import { kubernetesHelmRules } from "./kubernetes-helm";
import { kubernetesNamespaceRules } from "./kubernetes-namespaces";
import { kubernetesNetworkRules } from "./kubernetes-network";
import { kubernetesPodRules } from "./kubernetes-pods";
import { kubernetesVolumeRules } from "./kubernetes-volumes";
import { networkRules } from "./network";
import { pkiRules } from "./pki";
import { s3AccessRules } from "./s3-access";
import { s3RetentionRules } from "./s3-retention";
import { tempoRules } from "./tempo";
import { securityRules, type ControlId, type RuleArea, type RuleDefinition, type SecurityRuleNumber } from "./types";
import { vpcEndpointRules } from "./vpc-endpoints";
import { vpnRules } from "./vpn";

export { securityRules };
export type { ControlId, Mutation, RuleArea, RuleDefinition, SecurityRuleNumber } from "./types";

export const packName = "tracing-platform-security";

/** Enforcement of every rule unless a policy config file says otherwise (prod's file says mandatory for all). */
export const defaultEnforcementLevel = "mandatory" as const;

export const ruleDefinitions: readonly RuleDefinition[] = [
    ...s3AccessRules,
    ...s3RetentionRules,
    ...kmsRules,
    ...cloudTrailRules,
    ...alarmRules,
    ...vpnRules,
    ...identityRules,
    ...networkRules,
    ...vpcEndpointRules,
    ...iamRules,
    ...kubernetesPodRules,
    ...kubernetesNamespaceRules,
    ...kubernetesNetworkRules,
    ...kubernetesHelmRules,
    ...kubernetesVolumeRules,
    ...pkiRules,
    ...collectorRules,
    ...tempoRules,
    ...grafanaRules,
    ...isolationRules,
];

/** The pack's policies, in rule order. */
export const policies: Policies = ruleDefinitions.map((rule) => rule.policy);

export interface RuleMetadata {
    readonly name: string;
    readonly description: string;
    readonly kind: "resource" | "stack";
    readonly area: RuleArea;
    readonly securityRule: SecurityRuleNumber;
    readonly securityRuleTitle: string;
    readonly controls: readonly ControlId[];
    readonly severity: string;
}

/** One row per rule: what it protects, which seed security rule it enforces, which public controls it matches. */
export const ruleMetadata: readonly RuleMetadata[] = ruleDefinitions.map((rule) => ({
    name: rule.policy.name,
    description: rule.policy.description,
    kind: "validateStack" in rule.policy ? "stack" : "resource",
    area: rule.area,
    securityRule: rule.securityRule,
    securityRuleTitle: securityRules[rule.securityRule],
    controls: rule.controls,
    severity: rule.policy.severity ?? "medium",
}));

/** The rule by name; throws for unknown names so a typo in a config or test fails loudly. */
export function ruleNamed(name: string): RuleDefinition {
    const rule = ruleDefinitions.find((r) => r.policy.name === name);
    if (!rule) throw new Error(`no policy named '${name}' in ${packName}`);
    return rule;
}

/** The table in docs/policy-rules.md: rule → seed security rule → public controls, in rule order. */
export function renderRulesTable(): string {
    const rows = ruleMetadata.map(
        (rule) => `| \`${rule.name}\` | ${rule.kind} | ${rule.securityRule}. ${rule.securityRuleTitle} | ${rule.controls.length > 0 ? rule.controls.join(", ") : "—"} |`,
    );
    return ["| Rule | Kind | Seed security rule | Public controls |", "|---|---|---|---|", ...rows].join("\n");
}
