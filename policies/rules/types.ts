/**
 * The typed metadata every rule carries next to its policy: the seed security rule it enforces, the
 * public controls it matches, and a mutation that violates it. The rules table in
 * docs/policy-rules.md, the enforcement configs and the mutation tests all derive from this data.
 */
import type { ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { RecordedResourceLike } from "../resource-shape";

/** The seven security rules of the seed (DEVELOPERS.md), by number. */
export const securityRules = {
    1: "Encryption at rest and in transit (TLS)",
    2: "Firewalls and IP allow-lists",
    3: "Access only through the VPN",
    4: "Access logging (successful and failed) and audit",
    5: "Patching: pinned, current software",
    6: "Data minimisation",
    7: "Environment isolation",
} as const;

export type SecurityRuleNumber = keyof typeof securityRules;

/**
 * A public control a rule corresponds to: a Checkov check id, an AWS Security Hub (CSPM) control,
 * a CIS benchmark item (AWS Foundations v3.0.0, Kubernetes 1.7+, Amazon EKS), a Pod Security
 * Standards level and control, or a NIST publication.
 */
export type ControlId =
    | `Checkov CKV_${string}`
    | `Checkov CKV2_${string}`
    | `Security Hub ${string}.${number}`
    | `CIS AWS ${number}.${number}`
    | `CIS AWS ${number}.${number}.${number}`
    | `CIS Kubernetes ${number}.${number}.${number}`
    | `CIS EKS ${number}.${number}.${number}`
    | `PSS ${"baseline" | "restricted"}: ${string}`
    | `NIST ${string}`;

/** Where a rule lives (one module per area under policies/rules/). */
export type RuleArea =
    | "s3-access"
    | "s3-retention"
    | "kms"
    | "cloudtrail"
    | "vpn"
    | "network"
    | "vpc-endpoints"
    | "iam"
    | "kubernetes-pods"
    | "kubernetes-namespaces"
    | "kubernetes-network"
    | "kubernetes-helm"
    | "kubernetes-volumes"
    | "pki"
    | "collectors"
    | "tempo"
    | "grafana"
    | "isolation"
    | "identity"
    | "alarms";

/**
 * A pure function that takes a stack's resources and returns a copy in which exactly this rule is
 * violated (the input is never modified). It throws when the stack has nothing it can mutate.
 */
export interface Mutation {
    /** What the mutation changes, for test output. */
    readonly description: string;
    readonly apply: (resources: readonly RecordedResourceLike[]) => RecordedResourceLike[];
}

export type PackPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface RuleDefinition {
    readonly policy: PackPolicy;
    readonly area: RuleArea;
    readonly securityRule: SecurityRuleNumber;
    /** Public controls this rule implements, empty when none matches. */
    readonly controls: readonly ControlId[];
    readonly violate: Mutation;
}

/** Per-rule config: each property's JSON schema with its default (the engine fills defaults in too). */
export type ConfigSpec<C> = { readonly [K in keyof C]: PolicyConfigJSONSchema & { readonly default: C[K] } };

export type { Severity };
