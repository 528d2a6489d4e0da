import * as assert from "assert";
import { describeRule, edited, named, runRule } from "./helpers";

const trace = "bucket 'tracing-traces' (tracing-traces-prod-333333333333-eu-west-1)";

describe("policies: CloudTrail and log groups", () => {
    describeRule("cloudtrail-multi-region-with-global-events", [
        {
            title: "single region, no global events, stopped, write-only management events",
            change: (rs) =>
                Object.assign(named(rs, "tracing-audit-trail").inputs, {
                    isMultiRegionTrail: false,
                    includeGlobalServiceEvents: false,
                    enableLogging: false,
                    eventSelectors: [{ readWriteType: "WriteOnly", includeManagementEvents: true }],
                }),
            expect: [
                "trail 'tracing-audit-trail' covers one region only; set isMultiRegionTrail: true.",
                "trail 'tracing-audit-trail' skips global services (IAM, STS); drop includeGlobalServiceEvents: false.",
                "trail 'tracing-audit-trail' is stopped; drop enableLogging: false.",
                "trail 'tracing-audit-trail' records only WriteOnly management events; use readWriteType 'All'.",
            ],
        },
        {
            title: "data events only, no management events",
            change: (rs) => (named(rs, "tracing-audit-trail").inputs.eventSelectors[0].includeManagementEvents = false),
            expect: ["trail 'tracing-audit-trail' records no management events; set includeManagementEvents: true on an event selector."],
        },
    ]);

    describeRule("cloudtrail-log-file-validation", [
        { title: "validation off", change: (rs) => delete named(rs, "tracing-audit-trail").inputs.enableLogFileValidation, expect: ["trail 'tracing-audit-trail' does not validate log files; set enableLogFileValidation: true."] },
    ]);

    describeRule("cloudtrail-encrypted-with-customer-managed-key", [
        { title: "no key", change: (rs) => delete named(rs, "tracing-audit-trail").inputs.kmsKeyId, expect: ["trail 'tracing-audit-trail' does not encrypt with a KMS key; set kmsKeyId to the audit key ARN."] },
        {
            title: "the AWS-managed key",
            change: (rs) => (named(rs, "tracing-audit-trail").inputs.kmsKeyId = "arn:aws:kms:eu-west-1:333333333333:alias/aws/cloudtrail"),
            expect: ["trail 'tracing-audit-trail' uses the AWS-managed key 'arn:aws:kms:eu-west-1:333333333333:alias/aws/cloudtrail'; use the audit customer-managed key."],
        },
    ]);

    const noDataEvents = `${trace}: no CloudTrail trail records its object-level read and write events; add an S3 data event selector for it.`;
    describeRule("cloudtrail-records-s3-data-events", [
        { title: "management events only", change: (rs) => (named(rs, "tracing-audit-trail").inputs.eventSelectors[0].dataResources = []), expect: [noDataEvents] },
        { title: "write-only data events", change: (rs) => (named(rs, "tracing-audit-trail").inputs.eventSelectors[0].readWriteType = "WriteOnly"), expect: [noDataEvents] },
        {
            title: "data events for another bucket (linked neither by name nor by dependency)",
            change: (rs) => {
                const trail = named(rs, "tracing-audit-trail");
                trail.inputs.eventSelectors[0].dataResources[0].values = ["arn:aws:s3:::some-other-bucket/"];
                trail.propertyDependencies!.eventSelectors = [];
            },
            expect: [noDataEvents],
        },
        {
            title: "no trail in the stack at all (the audit bucket stays exempt as the access-log sink)",
            change: (rs) => rs.splice(rs.indexOf(named(rs, "tracing-audit-trail")), 1),
            expect: [noDataEvents],
        },
        {
            title: "compliant: advanced event selectors for S3 objects under the bucket ARN",
            change: (rs) => {
                const trail = named(rs, "tracing-audit-trail");
                delete trail.inputs.eventSelectors;
                trail.inputs.advancedEventSelectors = [
                    { name: "management", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
                    {
                        name: "trace objects",
                        fieldSelectors: [
                            { field: "eventCategory", equals: ["Data"] },
                            { field: "resources.type", equals: ["AWS::S3::Object"] },
                            { field: "resources.ARN", startsWiths: ["arn:aws:s3:::tracing-traces-prod-333333333333-eu-west-1/"] },
                        ],
                    },
                ];
            },
            expect: [],
        },
        {
            title: "advanced selectors restricted to read-only events do not count",
            change: (rs) => {
                const trail = named(rs, "tracing-audit-trail");
                delete trail.inputs.eventSelectors;
                trail.inputs.advancedEventSelectors = [
                    { fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }, { field: "readOnly", equals: ["true"] }] },
                ];
            },
            expect: [noDataEvents],
        },
    ]);

    it("cloudtrail-records-s3-data-events is satisfied by an organization trail declared in config", async () => {
        const resources = edited((rs) => (named(rs, "tracing-audit-trail").inputs.eventSelectors[0].dataResources = []));
        const result = await runRule("cloudtrail-records-s3-data-events", resources, "prod", { "cloudtrail-records-s3-data-events": { organizationTrail: true } });
        assert.deepStrictEqual(result.violations, []);
    });

    describeRule("cloudwatch-log-groups-encrypted", [
        { title: "no key", change: (rs) => delete named(rs, "tracing-vpn-connections").inputs.kmsKeyId, expect: ["log group 'tracing-vpn-connections' is not encrypted with a customer-managed key; set kmsKeyId."] },
    ]);

    describeRule("cloudwatch-log-groups-retention-bounded", [
        { title: "kept forever", change: (rs) => (named(rs, "tracing-vpn-connections").inputs.retentionInDays = 0), expect: ["log group 'tracing-vpn-connections' keeps logs forever; set retentionInDays between 365 and 3653."] },
        { title: "below the prod minimum", change: (rs) => (named(rs, "tracing-vpn-connections").inputs.retentionInDays = 90), expect: ["log group 'tracing-vpn-connections' keeps logs 90 days, below the minimum of 365."] },
        { title: "above the maximum", change: (rs) => (named(rs, "tracing-vpn-connections").inputs.retentionInDays = 3654), expect: ["log group 'tracing-vpn-connections' keeps logs 3654 days, above the maximum of 3653."] },
        { title: "compliant in dev: 90 days", stack: "dev", change: (rs) => (named(rs, "tracing-vpn-connections").inputs.retentionInDays = 90), expect: [] },
    ]);
});
