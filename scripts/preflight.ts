/**
 * `npm run preflight -- --stack <name> [--kubeconfig <file>] [--context <name>]`: read-only checks
 * of the stack's AWS account and EKS cluster before the first `pulumi up`, one line per check with
 * the fix for each failure; exits 1 if any check fails. Reads the configuration `pulumi up -s
 * <stack>` would use and the caller's usual AWS credentials (AWS_PROFILE, SSO, environment).
 * Without flags it reaches the cluster with `aws eks get-token`; the flags use a kubeconfig instead.
 */
import { parseArgs } from "util";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EKSClient } from "@aws-sdk/client-eks";
import { STSClient } from "@aws-sdk/client-sts";
import type { KubeConfig } from "@kubernetes/client-node";
import { parseSettings, ConfigValidationError, type Settings } from "../components/platform/settings";
import { stackConfig } from "../test/harness/stack-config";
import { errorSummary } from "./preflight/aws-errors";
import { kubeConfigFromFile } from "./preflight/kubernetes";
import { runPreflight } from "./preflight/run";
import { runAsScript, type Output } from "./cli";

const usage = "usage: npm run preflight -- --stack <dev|test|prod> [--kubeconfig <file>] [--context <name>]";

function readSettings(stack: string): Settings | string {
    try {
        return parseSettings(stackConfig(stack), stack);
    } catch (error) {
        if (error instanceof ConfigValidationError || (error instanceof Error && error.message.startsWith("no stack file"))) return error.message;
        throw error;
    }
}

/** The command: parses `args`, reads the stack, runs the checks, returns the exit code. */
export async function preflightCommand(args: readonly string[], output: Output): Promise<number> {
    let values: { stack?: string; kubeconfig?: string; context?: string };
    try {
        ({ values } = parseArgs({ args: [...args], options: { stack: { type: "string" }, kubeconfig: { type: "string" }, context: { type: "string" } } }));
    } catch (error) {
        output.err(`${errorSummary(error)}\n${usage}`);
        return 2;
    }
    if (!values.stack) {
        output.err(usage);
        return 2;
    }
    const settings = readSettings(values.stack);
    if (typeof settings === "string") {
        output.err(settings);
        return 1;
    }
    let kubeConfig: KubeConfig | undefined;
    if (values.kubeconfig || values.context) {
        try {
            kubeConfig = await kubeConfigFromFile(values.kubeconfig, values.context);
        } catch (error) {
            output.err(`✘ kubeconfig: ${errorSummary(error)}`);
            return 2;
        }
    }
    const region = settings.aws.region;
    output.out(`Preflight of stack ${settings.stack}: account ${settings.aws.accountId}, ${region}, cluster ${settings.cluster.name}`);
    const { exitCode } = await runPreflight({
        settings,
        clients: { sts: new STSClient({ region }), eks: new EKSClient({ region }), ec2: new EC2Client({ region }) },
        kubeConfig: kubeConfig && (() => kubeConfig),
        print: output.out,
    });
    output.out(exitCode === 0 ? "Ready for the first pulumi up." : "Fix the ✘ lines, then run the preflight again.");
    return exitCode;
}

if (require.main === module) runAsScript(preflightCommand, (error) => `✘ preflight stopped: ${errorSummary(error)}`);
