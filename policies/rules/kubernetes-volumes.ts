/**
 * Persistent volumes: every claim the program makes (PersistentVolumeClaims and StatefulSet
 * volumeClaimTemplates) is provisioned from a StorageClass of the same stack that has the EBS CSI
 * driver encrypt the volume with one of the stack's customer-managed keys. A claim without a class
 * gets the cluster's default class, which may not encrypt at all or uses the account's aws/ebs key.
 */
import type { PolicyResource } from "@pulumi/policy";
import { awsTypes } from "./lib/aws-types";
import { rulesFor } from "./lib/define";
import { objectLabel } from "./lib/kubernetes";
import { mutation, pick } from "./lib/mutate";
import type { StackView } from "./lib/stack-view";
import { asList, ifKnown, isRecord } from "./lib/values";
import type { RuleDefinition } from "./types";

const { stackRule } = rulesFor("kubernetes-volumes");

const storageClassType = "kubernetes:storage.k8s.io/v1:StorageClass";
const claimType = "kubernetes:core/v1:PersistentVolumeClaim";
const statefulSetType = "kubernetes:apps/v1:StatefulSet";

/** The EBS CSI driver, whose `encrypted` and `kmsKeyId` parameters this rule reads (aws-ebs-csi-driver docs/parameters.md). */
const ebsCsiProvisioner = "ebs.csi.aws.com";

interface Claim {
    readonly owner: PolicyResource;
    readonly label: string;
    /** Reads the claim's storageClassName (throws when unknown during preview). */
    readonly className: () => unknown;
}

/** The claims a PersistentVolumeClaim or StatefulSet makes. */
function claimsOf(owner: PolicyResource): Claim[] {
    if (owner.type === claimType) {
        return [{ owner, label: `PersistentVolumeClaim '${objectLabel(owner.props, owner.name)}'`, className: () => owner.props.spec?.storageClassName }];
    }
    return asList<any>(owner.props.spec?.volumeClaimTemplates).map((template) => ({
        owner,
        label: `StatefulSet '${objectLabel(owner.props, owner.name)}' volumeClaimTemplate '${template?.metadata?.name ?? "?"}'`,
        className: () => template?.spec?.storageClassName,
    }));
}

/** A StorageClass parameter; the driver reads parameter names case-insensitively. */
function parameter(storageClass: PolicyResource, name: string): unknown {
    const parameters = isRecord(storageClass.props.parameters) ? storageClass.props.parameters : {};
    const key = Object.keys(parameters).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : parameters[key];
}

/** What keeps a StorageClass from encrypting with a customer-managed key of the stack (empty when nothing). */
function encryptionGaps(view: StackView, storageClass: PolicyResource): string[] {
    const gaps: string[] = [];
    if (storageClass.props.provisioner !== ebsCsiProvisioner) gaps.push(`its provisioner is '${storageClass.props.provisioner}', not ${ebsCsiProvisioner}`);
    const encrypted = parameter(storageClass, "encrypted");
    if (encrypted !== "true") gaps.push(`parameters.encrypted is ${encrypted === undefined ? "unset" : `'${encrypted}'`}, not "true"`);
    const keyId = ifKnown(() => parameter(storageClass, "kmsKeyId"));
    const fromStackKey = view.ofType(awsTypes.kmsKey).some((key) => view.dependsThrough(storageClass, "parameters", key));
    if ((keyId.known && (typeof keyId.value !== "string" || keyId.value === "")) || !fromStackKey) {
        gaps.push("parameters.kmsKeyId is not the ARN of an aws.kms.Key of this stack (EBS would use the account's default key)");
    }
    return gaps;
}

const volumesEncryptedWithCustomerKey = stackRule({
    name: "kubernetes-volumes-encrypted-with-customer-managed-key",
    description:
        "Every PersistentVolumeClaim and StatefulSet volumeClaimTemplate names a StorageClass of this stack that has the EBS CSI " +
        "driver encrypt its volumes with a customer-managed KMS key of the stack. Fix: create a StorageClass with provisioner " +
        "ebs.csi.aws.com and parameters encrypted: \"true\" and kmsKeyId set to the aws.kms.Key's ARN, and set every claim's " +
        "storageClassName to it.",
    severity: "high",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_3", "Checkov CKV_AWS_189", "Security Hub EC2.3"],
    appliesTo: [claimType, statefulSetType, storageClassType],
    validate: ({ view }, report) => {
        const classes = view.ofType([storageClassType]);
        const check = (claim: Claim): void => {
            const name = ifKnown(claim.className);
            const storageClass = name.known
                ? classes.find((c) => c.props.metadata?.name === name.value)
                : classes.find((c) => view.dependsThrough(claim.owner, "spec", c));
            // An unknown class name that no class of the stack produced is left undecided.
            if (!name.known && !storageClass) return void claim.className();
            if (name.known && (typeof name.value !== "string" || name.value === "")) {
                report(`${claim.label} names no StorageClass, so the cluster's default decides whether its volume is encrypted; set storageClassName to the stack's encrypted StorageClass.`, claim.owner.urn);
                return;
            }
            const className = name.known ? `'${name.value}'` : "(computed)";
            if (!storageClass) {
                report(`${claim.label} uses StorageClass ${className}, which this stack does not create; set storageClassName to the stack's encrypted StorageClass.`, claim.owner.urn);
                return;
            }
            const gaps = encryptionGaps(view, storageClass);
            if (gaps.length > 0) report(`${claim.label} uses StorageClass ${className}, which does not encrypt with a key of this stack: ${gaps.join("; ")}.`, claim.owner.urn);
        };
        view.each(view.ofType([claimType, statefulSetType]), (owner) => claimsOf(owner).forEach(check));
    },
    violate: mutation("point the first volume claim at the cluster's StorageClass 'gp2'", (resources) => {
        const owner = pick(resources, [claimType, statefulSetType], "volume claim", (r) => r.type === claimType || asList(r.inputs.spec?.volumeClaimTemplates).length > 0);
        const spec = owner.type === claimType ? owner.inputs.spec : owner.inputs.spec.volumeClaimTemplates[0].spec;
        spec.storageClassName = "gp2";
    }),
});

export const kubernetesVolumeRules: readonly RuleDefinition[] = [volumesEncryptedWithCustomerKey];
