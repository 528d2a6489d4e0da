import * as assert from "assert";
import * as fs from "fs";
import { parseSettings } from "../../components/platform/settings";
import {
    effectiveEnforcementLevel,
    effectiveEnforcementLevels,
    policyConfigPath,
    policyConfigProblems,
    policySettings,
    readPolicyConfig,
    type PolicyPackConfig,
} from "../../policies/enforcement";
import { isAllowListed } from "../../policies/rules/lib/cidrs";
import { policies, ruleNamed } from "../../policies/rules/index";
import { previewedStacks } from "../harness/program";
import { stackConfig } from "../harness/stack-config";

const names = policies.map((p) => p.name);
const rawConfig = (stack: string): PolicyPackConfig => JSON.parse(fs.readFileSync(policyConfigPath(stack), "utf8"));

describe("policies: enforcement configs", () => {
    it("effectiveEnforcementLevel follows the engine: the rule's entry, then 'all', then the rule, then the pack", () => {
        const policy = { name: "p" };
        assert.strictEqual(effectiveEnforcementLevel(policy, {}), "mandatory");
        assert.strictEqual(effectiveEnforcementLevel(policy, {}, "advisory"), "advisory");
        assert.strictEqual(effectiveEnforcementLevel({ name: "p", enforcementLevel: "advisory" }, {}), "advisory");
        assert.strictEqual(effectiveEnforcementLevel({ name: "p", enforcementLevel: "advisory" }, { all: "mandatory" }), "mandatory");
        assert.strictEqual(effectiveEnforcementLevel(policy, { all: "mandatory", p: "disabled" }), "disabled");
        assert.strictEqual(effectiveEnforcementLevel(policy, { all: "disabled", p: { enforcementLevel: "advisory", x: 1 } }), "advisory");
        assert.strictEqual(effectiveEnforcementLevel(policy, { all: "advisory", p: { x: 1 } }), "advisory");
    });

    it("prod makes every rule mandatory", () => {
        const levels = effectiveEnforcementLevels(readPolicyConfig("prod"));
        assert.deepStrictEqual(Object.keys(levels), names);
        assert.deepStrictEqual(new Set(Object.values(levels)), new Set(["mandatory"]));
    });

    it("dev makes only digest pinning, retention minimums, egress and resource limits advisory; nothing is disabled", () => {
        const levels = effectiveEnforcementLevels(readPolicyConfig("dev"));
        assert.deepStrictEqual(Object.keys(levels), names);
        assert.deepStrictEqual(
            names.filter((n) => levels[n] === "advisory"),
            [
                "s3-audit-bucket-object-lock",
                "cloudwatch-log-groups-retention-bounded",
                "security-group-egress-restricted",
                "kubernetes-containers-resources-bounded",
                "kubernetes-images-pinned-by-digest",
            ],
        );
        assert.ok(names.every((n) => levels[n] === "advisory" || levels[n] === "mandatory"));
    });

    it("every stack's config file names every rule explicitly (the engine's 'all' key is not relied on) and nothing else", () => {
        for (const stack of previewedStacks) {
            const config = rawConfig(stack);
            assert.deepStrictEqual(Object.keys(config), names, stack);
            assert.deepStrictEqual(policyConfigProblems(config), [], stack);
        }
    });

    it("policySettings gives schema defaults overridden by the config entry", () => {
        const lock = ruleNamed("s3-audit-bucket-object-lock").policy;
        assert.deepStrictEqual(policySettings(lock), { allowedModes: ["COMPLIANCE"], minimumRetentionDays: 365 });
        assert.deepStrictEqual(policySettings(lock, readPolicyConfig("dev")), { allowedModes: ["COMPLIANCE", "GOVERNANCE"], minimumRetentionDays: 90 });
        assert.deepStrictEqual(policySettings(ruleNamed("kms-key-rotation-enabled").policy, readPolicyConfig("prod")), {});
    });

    it("policyConfigProblems names unknown rules, unknown settings, wrong types and bad levels", () => {
        assert.deepStrictEqual(
            policyConfigProblems({
                "no-such-rule": "mandatory",
                "kms-key-rotation-enabled": "strict" as never,
                "kms-key-deletion-window": { minimumDeletionWindowDay: 30 },
                "client-vpn-session-limits": { maximumSessionHours: 9 },
                "s3-audit-bucket-object-lock": { allowedModes: ["WORM"], minimumRetentionDays: "365" },
                "aws-provider-locked-to-environment-account": { regions: "eu-west-1" },
                all: "advisory",
            }),
            [
                "no-such-rule: no such policy in tracing-platform-security",
                "kms-key-rotation-enabled: enforcement level 'strict' is not one of advisory, mandatory, remediate, disabled",
                "kms-key-deletion-window.minimumDeletionWindowDay: the policy has no such setting (it has minimumDeletionWindowDays)",
                "client-vpn-session-limits.maximumSessionHours: 9 is not one of [8,10,12,24]",
                's3-audit-bucket-object-lock.allowedModes[0]: "WORM" is not one of ["COMPLIANCE","GOVERNANCE"]',
                's3-audit-bucket-object-lock.minimumRetentionDays: "365" is not of type "integer"',
                'aws-provider-locked-to-environment-account.regions: "eu-west-1" is not of type "array"',
            ],
        );
    });

    it("readPolicyConfig refuses a stack without a config file", () => {
        assert.throws(() => readPolicyConfig("staging"), /no policy config for stack 'staging': expected .*config\.staging\.json/);
    });

    for (const stack of previewedStacks) {
        it(`config.${stack}.json states the ${stack} stack's own account, region and networks`, () => {
            const settings = parseSettings(stackConfig(stack), stack);
            const config = readPolicyConfig(stack) as Record<string, any>;
            assert.deepStrictEqual(config["aws-provider-locked-to-environment-account"], {
                enforcementLevel: "mandatory",
                environment: stack,
                accountId: settings.aws.accountId,
                regions: [settings.aws.region],
            });
            assert.strictEqual(config["aws-arns-stay-in-environment-account"].accountId, settings.aws.accountId);
            assert.strictEqual(config["kubernetes-provider-pinned-to-cluster"].accountId, settings.aws.accountId);
            const allowLists = ["client-vpn-authorization-scoped", "security-group-ingress-allow-listed", "kubernetes-load-balancers-allow-listed", "kubernetes-network-policies-scoped"].map(
                (rule) => config[rule].allowedCidrs as string[],
            );
            for (const list of allowLists) assert.deepStrictEqual(list, allowLists[0]);
            for (const network of [settings.network.vpcCidr, settings.network.vpnClientCidr, ...settings.network.appOtlpCidrs]) {
                assert.ok(isAllowListed(network, allowLists[0]), `${network} is not in ${stack}'s allow-list`);
            }
            assert.ok(config["cloudwatch-log-groups-retention-bounded"].minimumDays <= settings.retention.logDays);
            assert.ok(config["s3-audit-bucket-object-lock"].minimumRetentionDays <= settings.retention.auditDays);
            assert.ok(config["kms-key-deletion-window"].minimumDeletionWindowDays <= settings.kms.deletionWindowDays);
            assert.ok(config["client-vpn-session-limits"].maximumSessionHours >= settings.network.vpnSessionTimeoutHours);
            assert.strictEqual(config["stateful-data-protected-from-deletion"].requireProtect, settings.protectStatefulResources);
        });
    }

    it("dev and prod allow-lists do not overlap (a dev network is never allow-listed in prod)", () => {
        const dev = readPolicyConfig("dev") as Record<string, any>;
        const prod = readPolicyConfig("prod") as Record<string, any>;
        for (const cidr of dev["security-group-ingress-allow-listed"].allowedCidrs) {
            assert.ok(!isAllowListed(cidr, prod["security-group-ingress-allow-listed"].allowedCidrs), cidr);
        }
    });

    it("no environment's network is allow-listed in another (dev, test, prod)", () => {
        for (const mine of previewedStacks) {
            const own = (readPolicyConfig(mine) as Record<string, any>)["security-group-ingress-allow-listed"].allowedCidrs as string[];
            for (const other of previewedStacks.filter((s) => s !== mine)) {
                const theirs = (readPolicyConfig(other) as Record<string, any>)["security-group-ingress-allow-listed"].allowedCidrs as string[];
                for (const cidr of own) assert.ok(!isAllowListed(cidr, theirs), `${mine}'s ${cidr} is allow-listed in ${other}`);
            }
        }
    });
});
