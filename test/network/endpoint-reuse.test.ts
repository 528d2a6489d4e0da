/**
 * Stacks whose VPC already has the endpoints: the program reuses the ones named in settings and
 * creates only the others. AWS would refuse the duplicates: "you cannot have multiple endpoint
 * routes to the same service in a single route table" (Amazon VPC User Guide, Gateway VPC
 * endpoints, Routing; now the AWS PrivateLink Guide, Gateway endpoints), and a second interface
 * endpoint with private DNS for a service fails with "private-dns-enabled cannot be set because
 * there is already a conflicting DNS domain" (AWS re:Post Knowledge Center, Fix conflicting DNS
 * domain errors for interface VPC endpoints). A reused endpoint's policy is its owner's: the
 * program leaves it alone, and the trace bucket admits object data through that endpoint.
 */
import { strict as assert } from "assert";
import type { EndpointService } from "../../components/platform/settings/types";
import { awsResourceNames } from "../../components/platform/names";
import { ofType, recordStack, type StackRecording } from "../harness/program";
import { settingsOf } from "../harness/recorded";
import { bucketPolicy, conditionValues, statement } from "../data-plane/checks";

const endpointType = "aws:ec2/vpcEndpoint:VpcEndpoint";
const existing: Readonly<Record<EndpointService, string>> = {
    s3: "vpce-05a3c1d2e3f4a5b60",
    sns: "vpce-0b4e5f6a7b8c9d0e1",
    aps: "vpce-0c7d8e9f0a1b2c3d4",
    logs: "vpce-0d8e9f0a1b2c3d4e5",
};
const configKeys: Readonly<Record<EndpointService, string>> = {
    s3: "existingS3EndpointId",
    sns: "existingSnsEndpointId",
    aps: "existingApsEndpointId",
    logs: "existingLogsEndpointId",
};
const serviceNames: Readonly<Record<EndpointService, string>> = { s3: "s3", sns: "sns", aps: "aps-workspaces", logs: "logs" };

interface ReuseCase {
    readonly stack: "dev" | "prod";
    readonly reused: readonly EndpointService[];
}

const cases: readonly ReuseCase[] = [
    { stack: "dev", reused: ["s3", "sns", "aps", "logs"] },
    { stack: "prod", reused: ["s3", "sns", "aps", "logs"] },
    // The usual EKS VPC: S3, SNS and CloudWatch Logs endpoints exist, Managed Prometheus has none yet.
    { stack: "dev", reused: ["s3", "sns", "logs"] },
];

describe("VPC endpoints that already exist are reused", () => {
    for (const c of cases) {
        describe(`${c.stack} stack reusing ${c.reused.join(", ")}`, () => {
            let recording: StackRecording;
            before(async () => {
                const overrides = Object.fromEntries(c.reused.map((service) => [`tracing-platform:${configKeys[service]}`, existing[service]]));
                recording = await recordStack(c.stack, overrides);
                assert.equal(recording.error, undefined, recording.error);
            });

            it("creates no endpoint for a reused service, and the endpoints of the others as before", () => {
                const { region } = settingsOf(recording).aws;
                const created = ofType(recording, endpointType).map((e) => e.inputs.serviceName).sort();
                const expected = (["s3", "sns", "aps", "logs"] as const).filter((s) => !c.reused.includes(s)).map((s) => `com.amazonaws.${region}.${serviceNames[s]}`).sort();
                assert.deepEqual(created, expected);
            });

            it("keeps the interface endpoints' security group only while it creates an interface endpoint (a reused one has its own)", () => {
                // An interface endpoint's own security groups decide who reaches its network interfaces
                // (AWS PrivateLink Guide, Access an AWS service using an interface VPC endpoint).
                const needed = (["sns", "aps", "logs"] as const).some((service) => !c.reused.includes(service));
                const groups = ofType(recording, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name === "tracing-aws-endpoints");
                const rules = ofType(recording, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name === "tracing-endpoints-from-nodes");
                assert.equal(groups.length, needed ? 1 : 0);
                assert.equal(rules.length, needed ? 1 : 0);
            });

            it("the trace bucket admits object data only through the reused S3 endpoint (aws:SourceVpce)", () => {
                // aws:SourceVpce is the endpoint a request came through (Amazon S3 User Guide,
                // Controlling access from VPC endpoints with bucket policies): the reused id, not one the program invented.
                const settings = settingsOf(recording);
                const traceBucket = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region).traceBucket;
                const deny = statement(bucketPolicy(recording, traceBucket), "DenyObjectDataOutsidePlatformEndpoint");
                assert.equal(deny.Effect, "Deny");
                assert.deepEqual(conditionValues(deny, "StringNotEquals", "aws:SourceVpce"), [existing.s3]);
            });
        });
    }
});
