/**
 * Audit trail: CloudTrail records API calls in every region, signs its log files, encrypts them with
 * a customer-managed key and records object-level access to the data buckets; the CloudWatch log
 * groups audit records land in are encrypted and kept for a bounded time.
 */
import type * as aws from "./lib/aws";
import type { PolicyResource } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import { awsTypes } from "./lib/aws-types";
import { auditBucketUrns, bucketLabel, bucketsOf } from "./lib/buckets";
import { rulesFor } from "./lib/define";
import { mutation, pick } from "./lib/mutate";
import type { StackView } from "./lib/stack-view";
import { asList, ifKnown, isSet, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

type TrailInputs = Unwrap<aws.cloudtrail.TrailArgs>;
type LogGroupInputs = Unwrap<aws.cloudwatch.LogGroupArgs>;

const { resourceRule, stackRule } = rulesFor("cloudtrail");

const trailMultiRegion = resourceRule({
    name: "cloudtrail-multi-region-with-global-events",
    description:
        "CloudTrail records read and write management events in every region, global services included, and is logging. " +
        "Fix: set isMultiRegionTrail: true, keep includeGlobalServiceEvents and enableLogging at their default true, and " +
        "record management events with readWriteType 'All'.",
    severity: "high",
    securityRule: 4,
    controls: ["Checkov CKV_AWS_67", "Security Hub CloudTrail.1", "CIS AWS 3.1"],
    appliesTo: awsTypes.trail,
    validate: ({ name, props }, report) => {
        const trail = props as TrailInputs;
        if (trail.isMultiRegionTrail !== true) report(`trail '${name}' covers one region only; set isMultiRegionTrail: true.`);
        if (trail.includeGlobalServiceEvents === false) report(`trail '${name}' skips global services (IAM, STS); drop includeGlobalServiceEvents: false.`);
        if (trail.enableLogging === false) report(`trail '${name}' is stopped; drop enableLogging: false.`);
        for (const selector of asList(trail.eventSelectors)) {
            if (selector.includeManagementEvents !== false && selector.readWriteType !== undefined && selector.readWriteType !== "All") {
                report(`trail '${name}' records only ${selector.readWriteType} management events; use readWriteType 'All'.`);
            }
        }
        const selectors = asList(trail.eventSelectors);
        if (selectors.length > 0 && selectors.every((selector) => selector.includeManagementEvents === false)) {
            report(`trail '${name}' records no management events; set includeManagementEvents: true on an event selector.`);
        }
    },
    violate: mutation("make the first trail single-region", (resources) => {
        pick(resources, awsTypes.trail, "CloudTrail trail").inputs.isMultiRegionTrail = false;
    }),
});

const trailLogFileValidation = resourceRule({
    name: "cloudtrail-log-file-validation",
    description:
        "CloudTrail signs a digest of every log file so tampering with audit records is detectable. Fix: set " +
        "enableLogFileValidation: true on the aws.cloudtrail.Trail.",
    severity: "high",
    securityRule: 4,
    controls: ["Checkov CKV_AWS_36", "Security Hub CloudTrail.4", "CIS AWS 3.2"],
    appliesTo: awsTypes.trail,
    validate: ({ name, props }, report) => {
        if ((props as TrailInputs).enableLogFileValidation !== true) report(`trail '${name}' does not validate log files; set enableLogFileValidation: true.`);
    },
    violate: mutation("turn log file validation off on the first trail", (resources) => {
        pick(resources, awsTypes.trail, "CloudTrail trail").inputs.enableLogFileValidation = false;
    }),
});

const trailEncrypted = resourceRule({
    name: "cloudtrail-encrypted-with-customer-managed-key",
    description:
        "CloudTrail encrypts its log files with the audit customer-managed KMS key (SSE-KMS), not only S3's default keys. " +
        "Fix: set kmsKeyId to the audit aws.kms.Key ARN (its key policy must let cloudtrail.amazonaws.com encrypt with an " +
        "aws:SourceArn condition).",
    severity: "high",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_35", "Security Hub CloudTrail.2", "CIS AWS 3.5"],
    appliesTo: awsTypes.trail,
    validate: ({ name, props }, report) => {
        const keyId = (props as TrailInputs).kmsKeyId;
        if (!isSet(keyId)) report(`trail '${name}' does not encrypt with a KMS key; set kmsKeyId to the audit key ARN.`);
        else if (/alias\/aws\//.test(keyId)) report(`trail '${name}' uses the AWS-managed key '${keyId}'; use the audit customer-managed key.`);
    },
    violate: mutation("remove the KMS key from the first trail", (resources) => {
        const trail = pick(resources, awsTypes.trail, "CloudTrail trail");
        delete trail.inputs.kmsKeyId;
        if (trail.propertyDependencies) trail.propertyDependencies.kmsKeyId = [];
    }),
});

/** True when a trail records both read and write S3 object events for `bucket`. */
function recordsObjectEvents(view: StackView, trail: PolicyResource, bucket: PolicyResource): boolean {
    const inputs = trail.props as TrailInputs;
    const name = ifKnown(() => bucket.props.bucket);
    const literalArn = name.known && isSet(name.value) ? `arn:aws:s3:::${name.value}/` : undefined;
    const matchesBucket = (values: readonly string[], property: string) =>
        values.some((value) => value === "arn:aws:s3" || value === "arn:aws:s3:::" || value === literalArn) ||
        view.dependsThrough(trail, property, bucket);
    const basic = asList(inputs.eventSelectors).some(
        (selector) =>
            (selector.readWriteType ?? "All") === "All" &&
            asList(selector.dataResources).some((data) => data.type === "AWS::S3::Object" && matchesBucket(stringList(data.values), "eventSelectors")),
    );
    const advanced = asList(inputs.advancedEventSelectors).some((selector) => {
        const fields = asList(selector.fieldSelectors);
        const field = (key: string) => fields.find((f) => f.field === key);
        const equals = (key: string, value: string) => stringList(field(key)?.equals).includes(value);
        if (!equals("eventCategory", "Data") || !equals("resources.type", "AWS::S3::Object")) return false;
        if (field("readOnly") !== undefined) return false;
        const arnField = field("resources.ARN");
        return arnField === undefined || matchesBucket([...stringList(arnField.startsWiths), ...stringList(arnField.equals)], "advancedEventSelectors");
    });
    return basic || advanced;
}

const trailRecordsDataEvents = stackRule<{ organizationTrail: boolean }>({
    name: "cloudtrail-records-s3-data-events",
    description:
        "Object-level reads and writes (including denied ones) on every data bucket are recorded by a CloudTrail trail in " +
        "the stack; the trail's own destination and access-log buckets are exempt (recording them would loop). Fix: add an " +
        "event selector with readWriteType 'All' and dataResources [{type: 'AWS::S3::Object', values: [`${bucket.arn}/`]}] " +
        "(or an advanced selector eventCategory=Data, resources.type=AWS::S3::Object).",
    severity: "medium",
    securityRule: 4,
    controls: ["Security Hub S3.22", "Security Hub S3.23", "CIS AWS 3.8", "CIS AWS 3.9"],
    config: {
        organizationTrail: {
            type: "boolean",
            default: false,
            description: "An organization trail managed elsewhere records S3 data events for this account.",
        },
    },
    appliesTo: awsTypes.bucket,
    validate: ({ view, config }, report) => {
        if (config.organizationTrail) return;
        const exempt = auditBucketUrns(view);
        const trails = view.ofType(awsTypes.trail);
        view.each(
            bucketsOf(view).filter((bucket) => !exempt.has(bucket.urn)),
            (bucket) => {
                if (!trails.some((trail) => recordsObjectEvents(view, trail, bucket))) {
                    report(`${bucketLabel(bucket)}: no CloudTrail trail records its object-level read and write events; add an S3 data event selector for it.`, bucket.urn);
                }
            },
        );
    },
    violate: mutation("drop the S3 data event selectors from every trail", (resources) => {
        const trails = resources.filter((r) => awsTypes.trail.includes(r.type as "aws:cloudtrail/trail:Trail"));
        pick(resources, awsTypes.trail, "CloudTrail trail");
        for (const trail of trails) {
            trail.inputs.eventSelectors = [{ readWriteType: "All", includeManagementEvents: true }];
            delete trail.inputs.advancedEventSelectors;
            if (trail.propertyDependencies) {
                trail.propertyDependencies.eventSelectors = [];
                trail.propertyDependencies.advancedEventSelectors = [];
            }
        }
    }),
});

const logGroupsEncrypted = resourceRule({
    name: "cloudwatch-log-groups-encrypted",
    description:
        "CloudWatch log groups (VPN connection logs, audit and workload logs) are encrypted with a customer-managed KMS key. " +
        "Fix: set kmsKeyId to the environment's aws.kms.Key ARN (its key policy must allow logs.<region>.amazonaws.com).",
    severity: "medium",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_158"],
    appliesTo: awsTypes.logGroup,
    validate: ({ name, props }, report) => {
        if (!isSet((props as LogGroupInputs).kmsKeyId)) report(`log group '${name}' is not encrypted with a customer-managed key; set kmsKeyId.`);
    },
    violate: mutation("remove the KMS key from the first log group", (resources) => {
        const group = pick(resources, awsTypes.logGroup, "CloudWatch log group");
        delete group.inputs.kmsKeyId;
        if (group.propertyDependencies) group.propertyDependencies.kmsKeyId = [];
    }),
});

const logGroupsRetentionBounded = resourceRule<{ minimumDays: number; maximumDays: number }>({
    name: "cloudwatch-log-groups-retention-bounded",
    description:
        "CloudWatch log groups keep records long enough for investigations and no longer than needed: retentionInDays set, " +
        "between the minimum (365 in prod) and the maximum. Fix: set retentionInDays to the environment's logRetentionDays.",
    severity: "medium",
    securityRule: 4,
    controls: ["Checkov CKV_AWS_66", "Checkov CKV_AWS_338"],
    config: {
        minimumDays: { type: "integer", minimum: 1, default: 365, description: "Shortest accepted retention in days." },
        maximumDays: { type: "integer", minimum: 1, default: 3653, description: "Longest accepted retention in days." },
    },
    appliesTo: awsTypes.logGroup,
    validate: ({ name, props, config }, report) => {
        const days = (props as LogGroupInputs).retentionInDays;
        if (typeof days !== "number" || days === 0) {
            report(`log group '${name}' keeps logs forever; set retentionInDays between ${config.minimumDays} and ${config.maximumDays}.`);
        } else if (days < config.minimumDays) {
            report(`log group '${name}' keeps logs ${days} days, below the minimum of ${config.minimumDays}.`);
        } else if (days > config.maximumDays) {
            report(`log group '${name}' keeps logs ${days} days, above the maximum of ${config.maximumDays}.`);
        }
    },
    violate: mutation("remove the retention of the first log group (never expires)", (resources) => {
        delete pick(resources, awsTypes.logGroup, "CloudWatch log group").inputs.retentionInDays;
    }),
});

export const cloudTrailRules: readonly RuleDefinition[] = [
    trailMultiRegion,
    trailLogFileValidation,
    trailEncrypted,
    trailRecordsDataEvents,
    logGroupsEncrypted,
    logGroupsRetentionBounded,
];
