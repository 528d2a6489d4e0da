/** A shipped stack's data plane as the real program records it, and the per-stack test block every data-plane file declares. */
import { shippedStacks, stackRecording, type ShippedStack, type StackRecording } from "../harness/program";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { awsResourceNames } from "../../components/platform/names";

export interface Stack {
    rec: StackRecording;
    settings: Settings;
    names: ReturnType<typeof awsResourceNames>;
}

export async function loadStack(stack: ShippedStack): Promise<Stack> {
    const rec = await stackRecording(stack);
    const settings = parseSettings(rec.config, stack);
    return { rec, settings, names: awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region) };
}

/** What a per-stack test block is given; `s` and the accessors are only read inside tests and hooks. */
export interface StackSuite {
    readonly s: Stack;
    readonly stackName: ShippedStack;
    readonly account: () => string;
    readonly region: () => string;
}

/**
 * Declares `body`'s tests once per shipped stack, under the same `AWS data plane (<stack>)` suite in
 * every file. `s` is filled in before the suite's first test runs, so tests read it, never the body.
 */
export function describeEachStack(body: (suite: StackSuite) => void): void {
    for (const stackName of shippedStacks) {
        describe(`AWS data plane (${stackName})`, () => {
            const s = {} as Stack;
            before(async () => {
                Object.assign(s, await loadStack(stackName));
            });
            body({ s, stackName, account: () => s.settings.aws.accountId, region: () => s.settings.aws.region });
        });
    }
}
