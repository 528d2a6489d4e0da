/**
 * The conditions every later check would trip over alike (no credentials, the wrong account, AWS
 * or the cluster out of reach, no such cluster) each produce one clear line and a non-zero exit,
 * never a stack trace or a cascade of failures with the same cause.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import type { AddressInfo } from "net";
import * as path from "path";
import { preflightCommand } from "../../scripts/preflight";
import { projectRoot } from "../harness/stack-config";
import { awsError, callerRoleArn, greenAccount, localKubeConfig, runAgainst, type Run } from "./fake-account";

function assertNoStackTrace(run: Run | string): void {
    const text = typeof run === "string" ? run : run.lines.join("\n");
    assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, "a stack trace leaked");
}

async function runWithCaller(caller: Error | { Account: string; Arn: string }): Promise<Run> {
    const account = greenAccount();
    account.caller = caller;
    return runAgainst(account);
}

/** Starts a listener and closes it again: the port then refuses connections. */
async function closedPort(): Promise<number> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("preflight: one clear line when nothing further can be checked", () => {
    it("no AWS credentials", async () => {
        const run = await runWithCaller(awsError("CredentialsProviderError", "Could not load credentials from any providers"));
        assert.equal(run.exitCode, 1);
        assert.equal(run.lines.length, 1, run.lines.join("\n"));
        assert.match(run.lines[0], /^✘ AWS credentials: none found \(Could not load credentials from any providers\)\. Fix: sign in to account 111111111111 \(aws sso login/);
        assertNoStackTrace(run);
    });

    it("expired credentials, from STS or from an expired SSO session", async () => {
        for (const error of [
            awsError("ExpiredToken", "The security token included in the request is expired"),
            awsError("CredentialsProviderError", "The SSO session associated with this profile has expired or is otherwise invalid."),
        ]) {
            const run = await runWithCaller(error);
            assert.equal(run.exitCode, 1);
            assert.equal(run.lines.length, 1, run.lines.join("\n"));
            assert.match(run.lines[0], /^✘ AWS credentials: expired \(.+\)\. Fix: refresh them: sign in to account 111111111111/);
        }
    });

    it("credentials of another account", async () => {
        const run = await runWithCaller({ Account: "999999999999", Arn: "arn:aws:sts::999999999999:assumed-role/admin/bob" });
        assert.equal(run.exitCode, 1);
        assert.deepEqual(run.lines, [
            "✘ AWS account: the credentials are for account 999999999999 (arn:aws:sts::999999999999:assumed-role/admin/bob), but stack dev deploys to 111111111111 (aws:allowedAccountIds). Fix: switch to a profile or role in account 111111111111; pulumi up refuses these credentials",
        ]);
    });

    it("AWS out of reach (a wrong region's endpoint does not resolve, or no network)", async () => {
        const run = await runWithCaller(Object.assign(new Error("getaddrinfo ENOTFOUND sts.eu-central-1.amazonaws.com"), { code: "ENOTFOUND" }));
        assert.equal(run.exitCode, 1);
        assert.equal(run.lines.length, 1, run.lines.join("\n"));
        assert.match(run.lines[0], /^✘ AWS API: cannot reach sts in eu-central-1 \(ENOTFOUND: getaddrinfo ENOTFOUND sts\.eu-central-1\.amazonaws\.com\)\. Fix: check aws:region in Pulumi\.dev\.yaml/);
    });

    it("no such cluster in the stack's region (a wrong region or cluster name)", async () => {
        const account = greenAccount();
        account.cluster = { ...account.cluster, name: "apps-elsewhere" };
        const run = await runAgainst(account);
        assert.equal(run.exitCode, 1);
        assert.equal(run.lines.length, 2, run.lines.join("\n"));
        assert.equal(run.lines[0], `✔ AWS account: 111111111111 as ${callerRoleArn}`);
        assert.equal(
            run.lines[1],
            "✘ EKS cluster apps-dev: not found in eu-central-1 of account 111111111111. Fix: check aws:region and tracing-platform:eksClusterName in Pulumi.dev.yaml; the platform joins an existing cluster, so create it first",
        );
    });

    it("an unreachable Kubernetes API fails once; the checks that need it say they were not checked", async () => {
        const run = await runAgainst(greenAccount(), { kubernetesUrl: `http://127.0.0.1:${await closedPort()}` });
        assert.equal(run.exitCode, 1);
        assert.equal(run.failures.length, 1, run.lines.join("\n"));
        assert.match(run.failures[0], /^✘ Kubernetes API: http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED .+\)\. Fix: the cluster endpoint is private: run the preflight and pulumi up from inside the VPC/);
        const skipped = run.lines.filter((line) => line.startsWith("– "));
        assert.deepEqual(skipped, [
            "– AWS Load Balancer Controller: the Kubernetes API is unreachable (not checked)",
            "– StorageClass tracing-dev-gp3-encrypted: the Kubernetes API is unreachable (not checked)",
        ]);
        // What EKS itself knows (add-ons, endpoints, subnets) is still checked.
        assert.ok(run.lines.includes("✔ EBS CSI driver: add-on aws-ebs-csi-driver v1.38.1-eksbuild.2 ACTIVE"));
        assertNoStackTrace(run);
    });

    it("a cluster still being created, with no endpoint yet, fails once and leaves the in-cluster checks for later", async () => {
        const account = greenAccount();
        account.cluster = { ...account.cluster, status: "CREATING", endpoint: undefined, certificateAuthority: undefined };
        const run = await runAgainst(account, { ownKubeConfig: true });
        assert.equal(run.exitCode, 1);
        assert.deepEqual(run.failures.map((line) => line.split(". Fix: ")[0]), ["✘ EKS cluster apps-dev: status CREATING"]);
        assert.deepEqual(
            run.lines.filter((line) => line.startsWith("– ")),
            ["Kubernetes API", "AWS Load Balancer Controller", "StorageClass tracing-dev-gp3-encrypted"].map((check) => `– ${check}: cluster apps-dev has no API endpoint yet (not checked)`),
        );
    });

    it("a Kubernetes API that never answers counts as unreachable after the timeout", async () => {
        const silent = http.createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        try {
            const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
            const run = await runAgainst(greenAccount(), { kubernetesUrl: url, kubernetesTimeoutMs: 200 });
            assert.equal(run.failures.length, 1, run.lines.join("\n"));
            assert.ok(run.failures[0].startsWith(`✘ Kubernetes API: ${url} is unreachable (no answer within 0.2 s)`), run.failures[0]);
        } finally {
            silent.closeAllConnections();
            await new Promise<void>((resolve) => silent.close(() => resolve()));
        }
    });
});

describe("preflight command line", () => {
    /** Variables through which the SDK could find credentials or a profile. */
    const credentialVariables = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];
    /** No credentials anywhere the SDK looks, and no instance metadata service to ask (no network). */
    const noCredentials: Record<string, string | undefined> = {
        ...Object.fromEntries(credentialVariables.map((name) => [name, undefined])),
        AWS_CONFIG_FILE: path.join(projectRoot, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(projectRoot, "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
    };

    /** Runs the command in this process with the real AWS SDK clients and `environment` applied. */
    async function preflight(args: string[], environment: Record<string, string | undefined> = {}): Promise<{ code: number; out: string[]; err: string[] }> {
        const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
        const apply = (values: Record<string, string | undefined>) => {
            for (const [name, value] of Object.entries(values)) {
                if (value === undefined) delete process.env[name];
                else process.env[name] = value;
            }
        };
        const out: string[] = [];
        const err: string[] = [];
        apply(environment);
        try {
            const code = await preflightCommand(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
            return { code, out, err };
        } finally {
            apply(saved);
        }
    }

    it("without credentials prints the stack it checks and one line for the missing credentials, exit 1", async () => {
        const { code, out, err } = await preflight(["--stack", "dev"], noCredentials);
        assert.equal(code, 1, err.join("\n"));
        assert.equal(out.length, 3, out.join("\n"));
        assert.equal(out[0], "Preflight of stack dev: account 111111111111, eu-central-1, cluster apps-dev");
        assert.match(out[1], /^✘ AWS credentials: none found \(.+\)\. Fix: sign in to account 111111111111/);
        assert.equal(out[2], "Fix the ✘ lines, then run the preflight again.");
        assert.deepEqual(err, []);
        assertNoStackTrace(out.join("\n"));
    });

    it("asks for a stack, and names a missing stack file, kubeconfig or context", async () => {
        const usage = await preflight([]);
        assert.equal(usage.code, 2);
        assert.match(usage.err.join("\n"), /usage: npm run preflight -- --stack <dev\|test\|prod>/);
        const missing = await preflight(["--stack", "staging"]);
        assert.equal(missing.code, 1);
        assert.match(missing.err.join("\n"), /no stack file .*Pulumi\.staging\.yaml/);
        const noFile = await preflight(["--stack", "dev", "--kubeconfig", path.join(__dirname, "no-kubeconfig.yaml")]);
        assert.equal(noFile.code, 2);
        assert.match(noFile.err.join("\n"), /^✘ kubeconfig: .*no-kubeconfig\.yaml/);
        const directory = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"));
        const file = path.join(directory, "config");
        fs.writeFileSync(file, (await localKubeConfig("http://127.0.0.1:1")).exportConfig());
        let noContext;
        try {
            noContext = await preflight(["--stack", "dev", "--kubeconfig", file, "--context", "apps-dev"]);
        } finally {
            fs.rmSync(directory, { recursive: true, force: true });
        }
        assert.equal(noContext.code, 2);
        assert.deepEqual(noContext.err, ["✘ kubeconfig: the kubeconfig has no context 'apps-dev'"]);
        for (const run of [usage, missing, noFile, noContext]) {
            assert.deepEqual(run.out, [], "nothing is checked");
            assertNoStackTrace(run.err.join("\n"));
        }
    });
});
