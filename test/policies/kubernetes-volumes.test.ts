/**
 * kubernetes-volumes-encrypted-with-customer-managed-key on edited golden stacks. The rule encodes
 * aws-ebs-csi-driver docs/parameters.md: a volume is encrypted only when its StorageClass says
 * `encrypted: "true"`, and with a customer managed key only when `kmsKeyId` is that key's ARN
 * (otherwise EBS uses the account's default key aws/ebs); parameter names are case-insensitive.
 * A claim without storageClassName gets the cluster's default class (Kubernetes docs,
 * concepts/storage/persistent-volumes, "Class").
 */
import * as assert from "assert";
import type { EditableResource } from "../../policies/resource-shape";
import { unknownValue } from "../../policies/rules/lib/values";
import { describeRule, edited, named, runRule } from "./helpers";

const rule = "kubernetes-volumes-encrypted-with-customer-managed-key";
const claim = "PersistentVolumeClaim 'tracing-grafana/grafana-data'";
const useClass = "set storageClassName to the stack's encrypted StorageClass.";

function storageClass(resources: EditableResource[]): EditableResource {
    return named(resources, "tracing-storage-class");
}

/** Gives the golden Tempo StatefulSet a claim template of the given class. */
function tempoClaimTemplate(resources: EditableResource[], className: string, fromClass: boolean): void {
    const tempo = resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet" && r.name === "tracing-tempo")!;
    tempo.inputs.spec.volumeClaimTemplates = [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: className, resources: { requests: { storage: "50Gi" } } } }];
    tempo.propertyDependencies!.spec = fromClass ? [storageClass(resources).urn] : [];
}

describe("policies: persistent volumes", () => {
    describeRule(rule, [
        {
            title: "a claim without a class falls to the cluster's default",
            change: (rs) => delete named(rs, "grafana-data").inputs.spec.storageClassName,
            expect: [`${claim} names no StorageClass, so the cluster's default decides whether its volume is encrypted; ${useClass}`],
        },
        {
            title: "a claim of a class the stack does not create",
            change: (rs) => (named(rs, "grafana-data").inputs.spec.storageClassName = "gp2"),
            expect: [`${claim} uses StorageClass 'gp2', which this stack does not create; ${useClass}`],
        },
        {
            title: "a class of the in-tree plugin that does not encrypt",
            change: (rs) => {
                const sc = storageClass(rs);
                sc.inputs.provisioner = "kubernetes.io/aws-ebs";
                sc.inputs.parameters = { type: "gp3", encrypted: "false" };
                sc.propertyDependencies!.parameters = [];
            },
            expect: [
                `${claim} uses StorageClass 'tracing-prod-gp3-encrypted', which does not encrypt with a key of this stack: its provisioner is ` +
                    `'kubernetes.io/aws-ebs', not ebs.csi.aws.com; parameters.encrypted is 'false', not "true"; parameters.kmsKeyId is not the ` +
                    `ARN of an aws.kms.Key of this stack (EBS would use the account's default key).`,
            ],
        },
        {
            title: "an encrypted class whose key is not the stack's (a literal ARN of another key)",
            change: (rs) => {
                const sc = storageClass(rs);
                sc.inputs.parameters.kmsKeyId = "arn:aws:kms:eu-west-1:444444444444:key/0b1c2d3e-aaaa-bbbb-cccc-000000000009";
                sc.propertyDependencies!.parameters = [];
            },
            expect: [
                `${claim} uses StorageClass 'tracing-prod-gp3-encrypted', which does not encrypt with a key of this stack: parameters.kmsKeyId ` +
                    `is not the ARN of an aws.kms.Key of this stack (EBS would use the account's default key).`,
            ],
        },
        {
            title: "encrypted without kmsKeyId (the account's aws/ebs key), though a key feeds a tag",
            change: (rs) => {
                const sc = storageClass(rs);
                delete sc.inputs.parameters.kmsKeyId;
                sc.inputs.parameters.tagSpecification_1 = "key=from-the-trace-key";
            },
            expect: [
                `${claim} uses StorageClass 'tracing-prod-gp3-encrypted', which does not encrypt with a key of this stack: parameters.kmsKeyId ` +
                    `is not the ARN of an aws.kms.Key of this stack (EBS would use the account's default key).`,
            ],
        },
        {
            title: "a StatefulSet claim template of another class",
            change: (rs) => tempoClaimTemplate(rs, "gp2", false),
            expect: [`StatefulSet 'tracing-tempo/tempo' volumeClaimTemplate 'data' uses StorageClass 'gp2', which this stack does not create; ${useClass}`],
        },
        { title: "compliant: a StatefulSet claim template of the encrypted class", change: (rs) => tempoClaimTemplate(rs, "tracing-prod-gp3-encrypted", true), expect: [] },
        {
            title: "compliant: parameter names in another case (the driver ignores case)",
            change: (rs) => {
                const sc = storageClass(rs);
                const { encrypted, kmsKeyId, type } = sc.inputs.parameters;
                sc.inputs.parameters = { Type: type, Encrypted: encrypted, KMSKeyId: kmsKeyId };
            },
            expect: [],
        },
        { title: "compliant in dev", stack: "dev", change: (rs) => tempoClaimTemplate(rs, "tracing-dev-gp3-encrypted", true), expect: [] },
    ]);

    it(`${rule} accepts a class name computed from the stack's class during preview, and leaves an unknown one of no class undecided`, async () => {
        const computed = await runRule(rule, edited((rs) => (named(rs, "grafana-data").inputs.spec.storageClassName = unknownValue)));
        assert.deepStrictEqual(computed.violations, []);
        const orphan = await runRule(
            rule,
            edited((rs) => {
                const pvc = named(rs, "grafana-data");
                pvc.inputs.spec.storageClassName = unknownValue;
                pvc.propertyDependencies!.spec = [];
            }),
        );
        assert.deepStrictEqual(orphan.violations, []);
    });
});
