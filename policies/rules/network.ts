/**
 * Security groups as firewalls: no ingress from the internet, sources only from the environment's
 * allow-list (VPC, VPN clients, application networks), no unrestricted egress, every rule described
 * and each group managed one way only (inline or standalone rules, never both).
 */
import type * as aws from "./lib/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { awsTypes } from "./lib/aws-types";
import { effectiveAllowList, isAllowListed, isOpenCidr } from "./lib/cidrs";
import { rulesFor } from "./lib/define";
import { addSibling, dependsOn, mutation, MutationTargetMissing, pick } from "./lib/mutate";
import type { EditableResource } from "../resource-shape";
import { asList, isSet, isTrue, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

type SecurityGroupInputs = Unwrap<aws.ec2.SecurityGroupArgs>;
type IngressRuleInputs = Unwrap<aws.vpc.SecurityGroupIngressRuleArgs>;
type EgressRuleInputs = Unwrap<aws.vpc.SecurityGroupEgressRuleArgs>;
type SecurityGroupRuleInputs = Unwrap<aws.ec2.SecurityGroupRuleArgs>;

const { resourceRule, stackRule } = rulesFor("network");

/** One firewall rule, whichever of the three AWS shapes declared it. */
interface FirewallRule {
    readonly direction: "ingress" | "egress";
    /** How to name the rule in messages. */
    readonly label: string;
    readonly cidrs: readonly string[];
    /** Another security group, a prefix list or `self`. */
    readonly hasReferenceSource: boolean;
    readonly protocol: string;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly description?: string;
}

const ruleTypes: readonly string[] = [...awsTypes.securityGroup, ...awsTypes.ingressRule, ...awsTypes.egressRule, ...awsTypes.securityGroupRule];

function firewallRules(type: string, name: string, props: Record<string, any>): FirewallRule[] {
    if (awsTypes.securityGroup.includes(type as "aws:ec2/securityGroup:SecurityGroup")) {
        const group = props as SecurityGroupInputs;
        return (["ingress", "egress"] as const).flatMap((direction) =>
            asList(group[direction]).map((rule, index) => ({
                direction,
                label: `security group '${name}' ${direction}[${index}]`,
                cidrs: [...stringList(rule.cidrBlocks), ...stringList(rule.ipv6CidrBlocks)],
                hasReferenceSource: stringList(rule.securityGroups).length > 0 || stringList(rule.prefixListIds).length > 0 || isTrue(rule.self),
                protocol: String(rule.protocol),
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                description: rule.description,
            })),
        );
    }
    if (awsTypes.securityGroupRule.includes(type as "aws:ec2/securityGroupRule:SecurityGroupRule")) {
        const rule = props as SecurityGroupRuleInputs;
        return [
            {
                direction: rule.type === "egress" ? "egress" : "ingress",
                label: `security group rule '${name}'`,
                cidrs: [...stringList(rule.cidrBlocks), ...stringList(rule.ipv6CidrBlocks)],
                hasReferenceSource: isSet(rule.sourceSecurityGroupId) || stringList(rule.prefixListIds).length > 0 || isTrue(rule.self),
                protocol: String(rule.protocol),
                fromPort: rule.fromPort,
                toPort: rule.toPort,
                description: rule.description,
            },
        ];
    }
    const direction = awsTypes.egressRule.includes(type as "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") ? "egress" : "ingress";
    const rule = props as IngressRuleInputs | EgressRuleInputs;
    return [
        {
            direction,
            label: `security group ${direction} rule '${name}'`,
            cidrs: [rule.cidrIpv4, rule.cidrIpv6].filter(isSet),
            hasReferenceSource: isSet(rule.referencedSecurityGroupId) || isSet(rule.prefixListId),
            protocol: String(rule.ipProtocol),
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            description: rule.description,
        },
    ];
}

function allProtocols(rule: FirewallRule): boolean {
    return rule.protocol === "-1" || rule.protocol.toLowerCase() === "all";
}

function allPorts(rule: FirewallRule): boolean {
    return allProtocols(rule) || ((rule.fromPort ?? 0) <= 0 && (rule.toPort ?? 65535) >= 65535);
}

function portRange(rule: FirewallRule): string {
    if (allProtocols(rule)) return "all traffic";
    return rule.fromPort === rule.toPort ? `${rule.protocol}/${rule.fromPort}` : `${rule.protocol}/${rule.fromPort}-${rule.toPort}`;
}

const allowListConfig = {
    allowedCidrs: {
        type: "array" as const,
        items: { type: "string" as const },
        default: [] as string[],
        description: "Source networks ingress may come from (VPC, VPN clients, application networks); default: private address space.",
    },
};

const ingressNotPublic = resourceRule({
    name: "security-group-ingress-not-public",
    description:
        "No security group admits traffic from the internet (0.0.0.0/0 or ::/0) on any port. Fix: use the source " +
        "security group (referencedSecurityGroupId) or an allow-listed CIDR such as the VPN client range.",
    severity: "critical",
    securityRule: 2,
    controls: [
        "Checkov CKV_AWS_24",
        "Checkov CKV_AWS_25",
        "Checkov CKV_AWS_260",
        "Checkov CKV_AWS_277",
        "Security Hub EC2.18",
        "Security Hub EC2.19",
        "Security Hub EC2.53",
        "Security Hub EC2.54",
        "CIS AWS 5.2",
        "CIS AWS 5.3",
    ],
    appliesTo: ruleTypes,
    validate: ({ type, name, props }, report) => {
        for (const rule of firewallRules(type, name, props).filter((r) => r.direction === "ingress")) {
            for (const cidr of rule.cidrs.filter(isOpenCidr)) report(`${rule.label} admits ${portRange(rule)} from ${cidr}; allow only the VPN, VPC or application networks.`);
        }
    },
    violate: mutation("open the first ingress rule to 0.0.0.0/0", (resources) => setFirstIngressSource(resources, "0.0.0.0/0")),
});

const ingressAllowListed = resourceRule<{ allowedCidrs: string[] }>({
    name: "security-group-ingress-allow-listed",
    description:
        "Security group ingress comes only from the environment's allow-listed networks (VPC, VPN client range, application " +
        "networks) or from other security groups, and 'all traffic' rules only from security groups. Fix: use a CIDR " +
        "from the allow-list or referencedSecurityGroupId, with explicit protocol and ports.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_277", "Security Hub EC2.13", "Security Hub EC2.14"],
    config: allowListConfig,
    appliesTo: ruleTypes,
    validate: ({ type, name, props, config }, report) => {
        const allowList = effectiveAllowList(config.allowedCidrs);
        for (const rule of firewallRules(type, name, props).filter((r) => r.direction === "ingress")) {
            for (const cidr of rule.cidrs.filter((c) => !isOpenCidr(c) && !isAllowListed(c, allowList))) {
                report(`${rule.label} admits ${portRange(rule)} from ${cidr}, outside the allow-list ${allowList.join(", ")}.`);
            }
            if (allProtocols(rule) && rule.cidrs.length > 0) report(`${rule.label} admits all traffic from CIDR ranges; name the protocol and ports.`);
        }
    },
    violate: mutation("admit the first ingress rule from 203.0.113.0/24 (a public range off the allow-list)", (resources) =>
        setFirstIngressSource(resources, "203.0.113.0/24"),
    ),
});

/** Points the first ingress rule of any shape at `cidr`. */
function setFirstIngressSource(resources: EditableResource[], cidr: string): void {
    const standalone = resources.find((r) => awsTypes.ingressRule.includes(r.type as "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"));
    if (standalone) {
        delete standalone.inputs.referencedSecurityGroupId;
        delete standalone.inputs.prefixListId;
        standalone.inputs.cidrIpv4 = cidr;
        if (String(standalone.inputs.ipProtocol) === "-1") Object.assign(standalone.inputs, { ipProtocol: "tcp", fromPort: 443, toPort: 443 });
        return;
    }
    const legacy = resources.find((r) => awsTypes.securityGroupRule.includes(r.type as "aws:ec2/securityGroupRule:SecurityGroupRule") && r.inputs.type === "ingress");
    if (legacy) {
        delete legacy.inputs.sourceSecurityGroupId;
        legacy.inputs.cidrBlocks = [cidr];
        return;
    }
    const group = pick(resources, awsTypes.securityGroup, "security group ingress rule", (g) => asList(g.inputs.ingress).length > 0);
    group.inputs.ingress[0] = { ...group.inputs.ingress[0], cidrBlocks: [cidr], securityGroups: [], self: false };
}

const egressRestricted = resourceRule({
    name: "security-group-egress-restricted",
    description:
        "No security group lets all traffic out to the internet; egress to 0.0.0.0/0 or ::/0 names its protocol and " +
        "ports (e.g. TCP 443). Fix: restrict egress to the VPC CIDR, S3 prefix list or specific ports.",
    severity: "medium",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_382"],
    appliesTo: ruleTypes,
    validate: ({ type, name, props }, report) => {
        for (const rule of firewallRules(type, name, props).filter((r) => r.direction === "egress")) {
            for (const cidr of rule.cidrs.filter(isOpenCidr)) {
                if (allPorts(rule)) report(`${rule.label} lets ${portRange(rule)} out to ${cidr}; restrict the destination or the ports.`);
            }
        }
    },
    violate: mutation("let all traffic out to 0.0.0.0/0 from a security group", (resources) => {
        const standaloneGroup = resources.find(
            (g) => awsTypes.securityGroup.includes(g.type as "aws:ec2/securityGroup:SecurityGroup") && asList(g.inputs.ingress).length === 0 && asList(g.inputs.egress).length === 0,
        );
        if (standaloneGroup) {
            addSibling(
                resources,
                standaloneGroup,
                awsTypes.egressRule[0],
                `${standaloneGroup.name}-mutated-egress-all`,
                { securityGroupId: `${standaloneGroup.name}-id`, cidrIpv4: "0.0.0.0/0", ipProtocol: "-1", description: "Mutation: all traffic to the internet" },
                { securityGroupId: [standaloneGroup.urn] },
            );
            return;
        }
        const inline = pick(resources, awsTypes.securityGroup, "security group");
        inline.inputs.egress = [...asList(inline.inputs.egress), { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "Mutation: all traffic to the internet" }];
    }),
});

const defaultDescriptions = ["Managed by Pulumi", "Managed by Terraform"];

const rulesDescribed = resourceRule({
    name: "security-group-rules-described",
    description:
        "Every security group and every rule says why it exists, so reviewers can tell a needed opening from a leftover. " +
        "Fix: set description on the aws.ec2.SecurityGroup (not the 'Managed by Pulumi' default) and on each rule.",
    severity: "low",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_23"],
    appliesTo: ruleTypes,
    validate: ({ type, name, props }, report) => {
        if (awsTypes.securityGroup.includes(type as "aws:ec2/securityGroup:SecurityGroup")) {
            const description = (props as SecurityGroupInputs).description;
            if (!isSet(description) || defaultDescriptions.includes(description)) report(`security group '${name}' has no description of its purpose.`);
        }
        for (const rule of firewallRules(type, name, props)) {
            if (!isSet(rule.description)) report(`${rule.label} has no description.`);
        }
    },
    violate: mutation("remove the description of the first standalone security group rule", (resources) => {
        const rule = pick(resources, [...awsTypes.ingressRule, ...awsTypes.egressRule, ...awsTypes.securityGroupRule], "standalone security group rule");
        delete rule.inputs.description;
    }),
});

const standaloneRuleTypes: readonly string[] = [...awsTypes.ingressRule, ...awsTypes.egressRule, ...awsTypes.securityGroupRule];

const rulesNotMixed = stackRule({
    name: "security-group-rules-not-mixed",
    description:
        "A security group is managed either by its inline ingress/egress blocks or by standalone rule resources, never " +
        "both: mixing them makes each update silently revert the other's rules. Fix: move every rule of the group to " +
        "aws.vpc.SecurityGroupIngressRule / SecurityGroupEgressRule resources and drop the inline blocks.",
    severity: "medium",
    securityRule: 2,
    controls: [],
    appliesTo: awsTypes.securityGroup,
    validate: ({ view }, report) =>
        view.each(view.ofType(awsTypes.securityGroup), (group) => {
            const inline = asList((group.props as SecurityGroupInputs).ingress).length + asList((group.props as SecurityGroupInputs).egress).length;
            if (inline === 0) return;
            const standalone = view.ofType(standaloneRuleTypes).filter((rule) => view.dependsThrough(rule, "securityGroupId", group));
            if (standalone.length > 0) {
                report(`security group '${group.name}' has inline rules and standalone rules (${standalone.map((r) => r.name).join(", ")}); manage it one way only.`, group.urn);
            }
        }),
    violate: mutation("add an inline ingress block to a security group that has standalone rules", (resources) => {
        const rule = resources.find((r) => standaloneRuleTypes.includes(r.type) && (r.propertyDependencies?.securityGroupId ?? []).length > 0);
        if (rule) {
            const group = pick(resources, awsTypes.securityGroup, "security group with standalone rules", (g) => dependsOn(rule, "securityGroupId", g.urn));
            group.inputs.ingress = [{ protocol: "tcp", fromPort: 443, toPort: 443, self: true, description: "Mutation: inline rule next to standalone ones" }];
            return;
        }
        const inline = resources.find((g) => awsTypes.securityGroup.includes(g.type as "aws:ec2/securityGroup:SecurityGroup") && asList(g.inputs.ingress).length > 0);
        if (!inline) throw new MutationTargetMissing("security group with rules");
        addSibling(
            resources,
            inline,
            awsTypes.ingressRule[0],
            `${inline.name}-mutated-standalone`,
            { securityGroupId: `${inline.name}-id`, referencedSecurityGroupId: `${inline.name}-id`, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "Mutation: standalone rule next to inline ones" },
            { securityGroupId: [inline.urn], referencedSecurityGroupId: [inline.urn] },
        );
    }),
});

export const networkRules: readonly RuleDefinition[] = [ingressNotPublic, ingressAllowListed, egressRestricted, rulesDescribed, rulesNotMixed];
