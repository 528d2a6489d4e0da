/**
 * The trace bucket component with the S3 gateway endpoint set, as the network perimeter will pass
 * it: built in-process under Pulumi mocks (the shipped stacks do not have the endpoint yet).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { createMocks } from "../harness/mocks";
import { TraceBucket } from "../../components/data-plane/trace-bucket";
import { statement, conditionValues, type Policy } from "./checks";

describe("TraceBucket with the platform's S3 endpoint", () => {
    const registered: pulumi.runtime.MockResourceArgs[] = [];

    before(async () => {
        const mocks = createMocks({ accountId: "111111111111", region: "eu-central-1" });
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    registered.push(args);
                    return mocks.newResource(args);
                },
                call: (args) => mocks.call(args),
            },
            "tracing-platform",
            "component-test",
            false,
        );
        const bucket = new TraceBucket("traces", {
            bucketName: "tracing-traces-dev-111111111111-eu-central-1",
            accountId: "111111111111",
            keyArn: "arn:aws:kms:eu-central-1:111111111111:key/test",
            retentionDays: 7,
            accessLogBucketName: "tracing-access-logs-dev-111111111111-eu-central-1",
            s3VpcEndpointId: pulumi.output("vpce-0a1b2c3d4e5f60718"),
            retain: false,
        });
        await new Promise((resolve) => bucket.bucketName.apply(resolve));
    });

    it("denies object data that does not come through that endpoint", () => {
        const policies = registered.filter((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy");
        assert.equal(policies.length, 1);
        const doc = JSON.parse(policies[0].inputs.policy) as Policy;
        const deny = statement(doc, "DenyObjectDataOutsidePlatformEndpoint");
        assert.deepEqual(conditionValues(deny, "StringNotEquals", "aws:SourceVpce"), ["vpce-0a1b2c3d4e5f60718"]);
        statement(doc, "DenyInsecureTransport");
    });
});
