/**
 * What the EC2 API refuses that Pulumi's mocks accept. Source: Amazon EC2 API Reference,
 * CreateSecurityGroup (GroupDescription), IpRange / UserIdGroupPair / SecurityGroupRuleRequest
 * (Description): "Constraints: Up to 255 characters in length. Allowed characters are a-z, A-Z,
 * 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*". The charset is written out here from that text, not
 * imported from the program, so a wrong constant in the code cannot make this test agree with it.
 */
import { strict as assert } from "assert";
import { ec2Description } from "../../components/platform/aws-constraints";
import { shippedStacks, stackRecording } from "../harness/program";

const ec2Allowed = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

/** Every recorded type that carries an EC2 security group or rule description, and where. */
const describedTypes: Record<string, string> = {
    "aws:ec2/securityGroup:SecurityGroup": "description",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "description",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "description",
    "aws:ec2/securityGroupRule:SecurityGroupRule": "description",
};

describe("EC2 security group descriptions (EC2 API reference: allowed characters, 255 at most)", () => {
    for (const stack of shippedStacks) {
        it(`${stack}: every security group and rule description is one EC2 accepts`, async () => {
            const recording = await stackRecording(stack);
            const described = recording.resources.filter((r) => r.type in describedTypes);
            assert.ok(described.length >= 10, `expected the perimeter's groups and rules, found ${described.length}`);
            for (const resource of described) {
                const description = resource.inputs[describedTypes[resource.type]];
                assert.equal(typeof description, "string", `${resource.name} has no description`);
                assert.ok(description.length <= 255, `${resource.name}: ${description.length} characters`);
                assert.match(description, ec2Allowed, `${resource.type} ${resource.name}: "${description}"`);
            }
        });
    }

    it("the program refuses a description EC2 would refuse, naming the characters", () => {
        assert.equal(ec2Description("HTTPS from the Client VPN (443)"), "HTTPS from the Client VPN (443)");
        assert.throws(() => ec2Description("Grafana's internal NLB"), /characters "'" are not allowed/);
        assert.throws(() => ec2Description("x".repeat(256)), /256 characters \(at most 255\)/);
        assert.throws(() => ec2Description("naïve"), /"ï"/);
    });
});
