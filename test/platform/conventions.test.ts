import { strict as assert } from "assert";
import { recordStack, stackRecording, shippedStacks, byUrn } from "../harness/program";
import { awsPhysicalNames } from "../harness/recorded";

describe("conventions: components follow the pulumi-eks/awsx shape", () => {
    for (const stack of shippedStacks) {
        it(`${stack}: component types are tracing:<module>:<Type> and children are named after their parent`, async () => {
            const recording = await stackRecording(stack);
            for (const resource of recording.resources) {
                if (!resource.custom) assert.match(resource.type, /^tracing:[a-z]+:[A-Z][A-Za-z]+$/, resource.type);
                if (!resource.parent) continue;
                const parent = byUrn(recording, resource.parent)!;
                assert.ok(resource.name.startsWith(`${parent.name}-`), `${resource.type} ${resource.name} is not prefixed by its parent ${parent.name}`);
            }
        });
    }
});

describe("environment isolation: a test stack is one config file away", () => {
    it("the program deploys a test environment with its own account and names", async function () {
        // Pulumi.test.yaml, the same recording test-stack.test.ts reads (a cache hit for the second).
        const test = await recordStack("test");
        assert.equal(test.error, undefined, test.error);
        assert.equal(test.outputs.awsAccountId, "222222222222");
        const dev = await stackRecording("dev");
        const devNames = new Set(awsPhysicalNames(dev.resources));
        const testNames = awsPhysicalNames(test.resources);
        assert.ok(testNames.length >= 5, `expected named AWS resources, got ${testNames.join(", ")}`);
        const shared = testNames.filter((name) => devNames.has(name));
        assert.deepEqual(shared, [], "test and dev share AWS physical names");
    });
});
