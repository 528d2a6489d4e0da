/**
 * What the trace key lets EBS do for the platform's encrypted volumes. The rules encoded: Amazon EBS
 * user guide, ebs-encryption-requirements, "Permissions for users": creating and attaching a volume
 * encrypted with a customer managed key needs kms:CreateGrant (with kms:GrantIsForAWSResource),
 * kms:Decrypt, kms:DescribeKey, kms:GenerateDataKeyWithoutPlaintext and kms:ReEncrypt, which EC2
 * calls on the caller's behalf (kms:ViaService ec2.<region>.amazonaws.com).
 * kubernetes-sigs/aws-ebs-csi-driver docs/install.md, "Encrypted EBS Volumes via KMS": the driver's
 * role needs Decrypt, GenerateDataKeyWithoutPlaintext and CreateGrant on the key; the key policy
 * must admit the same.
 */
import { strict as assert } from "assert";
import { ebsVolumeKeyActions } from "../../components/data-plane/key-policies";
import type { PolicyDocument } from "../../components/platform/iam-policy";
import { ofType, policyDocument } from "../harness/program";
import { conditionValues, keyWithAlias, list, statements, types } from "./checks";
import { accountId, decide, region, roleArn, traceKeyArn, traceKeyPolicyDocument } from "./simulator";
import { describeEachStack } from "./stack";

describeEachStack(({ s, account, region: stackRegion }) => {
    it("the trace key lets EBS use it for volumes only through EC2, in this account, with grants for AWS resources only", () => {
        const doc = policyDocument(keyWithAlias(s.rec, s.names.traceKeyAlias));
        const throughEc2 = statements(doc).filter((st) => conditionValues(st, "StringEquals", "kms:ViaService").includes(`ec2.${stackRegion()}.amazonaws.com`));
        assert.equal(throughEc2.length, 2, "one statement for data keys, one for grants");
        for (const st of throughEc2) {
            assert.deepEqual(st.Principal, { AWS: `arn:aws:iam::${account()}:root` });
            assert.deepEqual(conditionValues(st, "StringEquals", "kms:CallerAccount"), [account()]);
        }
        const grant = throughEc2.find((st) => list(st.Action).includes("kms:CreateGrant"))!;
        assert.deepEqual(list(grant.Action), ["kms:CreateGrant"]);
        assert.deepEqual(conditionValues(grant, "Bool", "kms:GrantIsForAWSResource"), ["true"]);
        const use = throughEc2.find((st) => st !== grant)!;
        assert.deepEqual([...list(use.Action)].sort(), ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"]);
        const admitsEc2 = ofType(s.rec, types.key).filter((key) => statements(policyDocument(key)).some((st) => conditionValues(st, "StringEquals", "kms:ViaService").some((v) => v.startsWith("ec2."))));
        assert.deepEqual(admitsEc2.map((key) => key.urn), [keyWithAlias(s.rec, s.names.traceKeyAlias).urn], "only the trace key admits EBS");
    });
});

describe("trace key policy under the IAM simulator: the EBS CSI driver's volume calls", () => {
    // The driver's own IAM policy: the install guide's KMS statement plus the EBS guide's DescribeKey and ReEncrypt, scoped to the key.
    const driverPolicy: PolicyDocument = {
        Version: "2012-10-17",
        Statement: [{ Sid: "VolumeKey", Effect: "Allow", Action: [...ebsVolumeKeyActions, "kms:CreateGrant"], Resource: traceKeyArn }],
    };
    const driver = (action: string, context: Record<string, string>) =>
        decide({ principal: roleArn("ebs-csi-driver"), action, resource: traceKeyArn, context, identityPolicies: [driverPolicy], resourcePolicy: traceKeyPolicyDocument });
    const viaEc2 = { "kms:ViaService": `ec2.${region}.amazonaws.com`, "kms:CallerAccount": accountId };

    it("allows CreateVolume's and AttachVolume's KMS calls made through EC2", async () => {
        for (const action of ebsVolumeKeyActions) assert.equal(await driver(action, viaEc2), "Allowed", action);
        assert.equal(await driver("kms:CreateGrant", { ...viaEc2, "kms:GrantIsForAWSResource": "true" }), "Allowed");
    });

    it("refuses a grant not made by EC2 for a volume, and the same calls made directly or through another service", async () => {
        assert.equal(await driver("kms:CreateGrant", { ...viaEc2, "kms:GrantIsForAWSResource": "false" }), "ImplicitlyDenied");
        assert.equal(await driver("kms:Decrypt", { "kms:CallerAccount": accountId }), "ImplicitlyDenied", "called directly");
        assert.equal(
            await driver("kms:GenerateDataKeyWithoutPlaintext", { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:CallerAccount": accountId }),
            "ImplicitlyDenied",
            "through S3",
        );
    });
});
