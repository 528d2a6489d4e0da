/**
 * Where Grafana's image lives: a private ECR repository whose tags cannot be moved (ECR user guide,
 * "Preventing image tags from being overwritten": IMMUTABLE), whose every push is scanned ("Scan
 * images for software vulnerabilities", basic scanning with scanOnPush), encrypted with a platform
 * KMS key ("Encryption at rest": ECR calls DescribeKey and CreateGrant when the repository is
 * created, and uses the key with the `aws:ecr:arn` encryption context), and whose lifecycle policy
 * expires only untagged leftovers ("Lifecycle policies": tagStatus untagged).
 */
import { strict as assert } from "assert";
import { grafanaImageTag } from "../../components/grafana/image-tag";
import { amazonPrometheusPlugin } from "../../components/grafana/ini";
import { ofType, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { dependencyOfType, isSecretInput, settingsOf } from "../harness/recorded";
import { awsResourceNames } from "../../components/platform/names";

function repositoryOf(recording: StackRecording): RecordedResource {
    const repositories = ofType(recording, "aws:ecr/repository:Repository");
    assert.equal(repositories.length, 1, "one repository: Grafana's image");
    return repositories[0];
}

/** The key policy statements whose kms:ViaService is ECR in the stack's region. */
function ecrStatements(key: RecordedResource, region: string): any[] {
    return JSON.parse(key.inputs.policy).Statement.filter((s: any) => s.Condition?.StringEquals?.["kms:ViaService"] === `ecr.${region}.amazonaws.com`);
}

describe("Grafana image repository (ECR)", () => {
    for (const stack of shippedStacks) {
        describe(stack, () => {
            it("is private to the environment, IMMUTABLE, scanned on push and never force-deleted", async () => {
                const recording = await stackRecording(stack);
                const settings = settingsOf(recording);
                const repository = repositoryOf(recording);
                assert.equal(repository.inputs.name, awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region).grafanaImageRepository);
                assert.equal(repository.inputs.name, `tracing-${stack}/grafana`);
                assert.equal(repository.inputs.imageTagMutability, "IMMUTABLE");
                assert.equal(repository.inputs.imageTagMutabilityExclusionFilters, undefined, "no tag is exempt");
                assert.deepEqual(repository.inputs.imageScanningConfiguration, { scanOnPush: true });
                assert.equal(repository.inputs.forceDelete, false);
            });

            it("is encrypted with the platform's trace key (a customer managed key), whose policy lets ECR use it for this repository only", async () => {
                const recording = await stackRecording(stack);
                const settings = settingsOf(recording);
                const { accountId, region } = settings.aws;
                const repository = repositoryOf(recording);
                const [encryption] = repository.inputs.encryptionConfigurations;
                assert.equal(repository.inputs.encryptionConfigurations.length, 1);
                assert.equal(encryption.encryptionType, "KMS");
                const key = dependencyOfType(recording, repository, "encryptionConfigurations", "aws:kms/key:Key");
                assert.equal(key.name, "tracing-trace", "the trace key, not the audit key or an AWS managed key");
                assert.match(encryption.kmsKey, new RegExp(`^arn:aws:kms:${region}:${accountId}:key/`));

                const statements = ecrStatements(key, region);
                const grant = statements.find((s) => s.Action === "kms:CreateGrant");
                assert.ok(grant, "ECR may create its grants when the repository is created");
                assert.deepEqual(grant.Principal, { AWS: `arn:aws:iam::${accountId}:root` });
                assert.equal(grant.Condition.Bool["kms:GrantIsForAWSResource"], "true");
                assert.equal(grant.Condition.StringEquals["kms:CallerAccount"], accountId);
                const use = statements.find((s) => [s.Action].flat().includes("kms:Decrypt"));
                assert.deepEqual([use.Action].flat().sort(), ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]);
                assert.equal(use.Condition.ArnEquals["kms:EncryptionContext:aws:ecr:arn"], `arn:aws:ecr:${region}:${accountId}:repository/${repository.inputs.name}`);
                assert.equal(statements.length, 2, "nothing else goes through ECR");
                const audit = ofType(recording, "aws:kms/key:Key").find((k) => k.name === "tracing-audit")!;
                assert.deepEqual(ecrStatements(audit, region), [], "the audit key stays out of ECR");
            });

            it("expires untagged leftovers only: the tagged image the Deployment runs is never expired", async () => {
                const recording = await stackRecording(stack);
                const [lifecycle] = ofType(recording, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
                assert.equal(lifecycle.inputs.repository, repositoryOf(recording).inputs.name);
                const { rules } = JSON.parse(lifecycle.inputs.policy);
                assert.ok(rules.length >= 1);
                for (const rule of rules) {
                    assert.equal(rule.selection.tagStatus, "untagged", rule.description);
                    assert.equal(rule.action.type, "expire");
                }
            });

            it("is pushed with a short-lived ECR login held as a secret; previews build nothing", async () => {
                const recording = await stackRecording(stack);
                const settings = settingsOf(recording);
                const [build] = ofType(recording, "docker-build:index:Image");
                assert.deepEqual(
                    build.inputs.registries.map((r: any) => ({ address: r.address, username: r.username })),
                    [{ address: `${settings.aws.accountId}.dkr.ecr.${settings.aws.region}.amazonaws.com`, username: "AWS" }],
                );
                assert.ok(isSecretInput(build, "registries"), "the ECR token is a Pulumi secret in the state");
                assert.equal(build.inputs.buildOnPreview, false);
                assert.equal(build.provider?.includes("$pulumi:providers:docker-build::tracing-docker-build::"), true);
            });
        });
    }

    describe("image tags (immutable: a tag is written once)", () => {
        const base = "docker.io/grafana/grafana:13.2.3@sha256:" + "b".repeat(64);
        const dockerfile = "ARG GRAFANA_IMAGE\nFROM ${GRAFANA_IMAGE}\n";

        it("name the Grafana and plugin versions", () => {
            assert.match(grafanaImageTag(base, "13.2.3", dockerfile), new RegExp(`^13\\.2\\.3-amp${amazonPrometheusPlugin.version.replaceAll(".", "\\.")}-[0-9a-f]{12}$`));
        });

        it("change with anything the build consumes, so a rebuild never pushes over an existing tag", () => {
            const tag = grafanaImageTag(base, "13.2.3", dockerfile);
            assert.equal(grafanaImageTag(base, "13.2.3", dockerfile), tag, "same inputs, same tag (no needless rebuild)");
            const rebuiltBase = base.replace(/b{64}$/, "c".repeat(64));
            assert.notEqual(grafanaImageTag(rebuiltBase, "13.2.3", dockerfile), tag, "a new digest of the same Grafana release");
            assert.notEqual(grafanaImageTag(base, "13.2.3", `${dockerfile}USER 472\n`), tag, "a changed Dockerfile");
        });

        it("are valid Docker tags (at most 128 of [A-Za-z0-9_.-], not starting with . or -)", () => {
            assert.match(grafanaImageTag(base, "13.2.3", dockerfile), /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
        });
    });
});
