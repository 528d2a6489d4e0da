import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { packName, policies, renderRulesTable, ruleDefinitions, ruleMetadata, securityRules } from "../../policies/rules/index";

/** Parses a Markdown table into rows of cells. */
function tableRows(markdown: string): string[][] {
    return markdown
        .trim()
        .split("\n")
        .slice(2)
        .map((line) => line.slice(1, -1).split(" | ").map((cell) => cell.trim()));
}

const controlFormat =
    /^(Checkov CKV2?_(AWS|K8S)_\d+|Security Hub [A-Za-z0-9]+\.\d+|CIS AWS \d+\.\d+(\.\d+)?|CIS Kubernetes \d+\.\d+\.\d+|CIS EKS \d+\.\d+\.\d+|PSS (baseline|restricted): .+|NIST SP .+)$/;

describe("policies: pack metadata", () => {
    it(`${packName} has at least 35 rules with unique kebab-case names`, () => {
        assert.ok(policies.length >= 35, `${policies.length} rules`);
        const names = policies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const name of names) assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
    });

    it("every rule says what it requires and how to fix it, and has a severity", () => {
        for (const policy of policies) {
            assert.match(policy.description, /^[A-Z].{40,}\. Fix: .{20,}$/s, policy.name);
            assert.ok(policy.severity, policy.name);
            assert.strictEqual(policy.enforcementLevel, undefined, `${policy.name}: levels come from the config files`);
        }
    });

    it("every rule is either a resource or a stack validation", () => {
        for (const policy of policies) assert.ok(("validateResource" in policy) !== ("validateStack" in policy), policy.name);
    });

    it("every seed security rule is enforced by some rule, and every control id is well-formed", () => {
        const covered = new Set(ruleMetadata.map((r) => r.securityRule));
        assert.deepStrictEqual([...covered].sort(), Object.keys(securityRules).map(Number));
        for (const rule of ruleMetadata) {
            for (const control of rule.controls) assert.match(control, controlFormat, `${rule.name}: ${control}`);
            assert.strictEqual(new Set(rule.controls).size, rule.controls.length, rule.name);
        }
        assert.ok(ruleMetadata.filter((r) => r.controls.length > 0).length >= 40, "most rules map to a public control");
    });

    it("every area module contributes rules, and every mutation is described", () => {
        const areas = new Set(ruleDefinitions.map((r) => r.area));
        assert.deepStrictEqual([...areas].sort(), ["alarms", "cloudtrail", "collectors", "grafana", "iam", "identity", "isolation", "kms", "kubernetes-helm", "kubernetes-namespaces", "kubernetes-network", "kubernetes-pods", "kubernetes-volumes", "network", "pki", "s3-access", "s3-retention", "tempo", "vpc-endpoints", "vpn"]);
        for (const rule of ruleDefinitions) assert.ok(rule.violate.description.length > 10, rule.policy.name);
    });

    it("the rules table lists every rule with its seed security rule and controls, in rule order", () => {
        const table = renderRulesTable();
        const lines = table.split("\n");
        assert.strictEqual(lines[0], "| Rule | Kind | Seed security rule | Public controls |");
        const rows = tableRows(table);
        assert.strictEqual(rows.length, ruleMetadata.length);
        rows.forEach((row, index) => {
            const rule = ruleMetadata[index];
            assert.deepStrictEqual(row, [
                `\`${rule.name}\``,
                rule.kind,
                `${rule.securityRule}. ${securityRules[rule.securityRule]}`,
                rule.controls.length > 0 ? rule.controls.join(", ") : "—",
            ]);
        });
    });
});

describe("policies: docs/policy-rules.md", () => {
    it("shows the rules table exactly as the rule metadata renders it", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "policy-rules.md"), "utf8");
        const start = doc.indexOf("<!-- policy-rules:start -->");
        const end = doc.indexOf("<!-- policy-rules:end -->");
        assert.ok(start >= 0 && end > start, "docs/policy-rules.md has the policy rules table between markers");
        assert.strictEqual(doc.slice(start + "<!-- policy-rules:start -->".length, end).trim(), renderRulesTable().trim());
    });
});
