/** docs/security.md maps each security claim to the rules enforcing it: every rule named there is in the pack. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ruleNamed } from "../../policies/rules/index";

describe("policies: docs/security.md claims table", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "security.md"), "utf8");
    const start = doc.indexOf("<!-- security-claims:start -->");
    const end = doc.indexOf("<!-- security-claims:end -->");
    const rows = doc
        .slice(start, end)
        .split("\n")
        .filter((line) => line.startsWith("| ") && !line.startsWith("| claim"));

    it("has the table between its markers, one claim per row", () => {
        assert.ok(start >= 0 && end > start, "security-claims markers");
        assert.ok(rows.length >= 20, `only ${rows.length} claims`);
    });

    it("every rule named in the table exists in the pack, and every row names a rule or says it has none", () => {
        for (const row of rows) {
            const ruleCell = row.split("|")[2] ?? "";
            const names = [...ruleCell.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]);
            assert.ok(names.length > 0 || ruleCell.includes("tests only"), `row names no rule: ${row}`);
            for (const name of names) assert.doesNotThrow(() => ruleNamed(name), `${name} (in: ${row})`);
        }
    });
});
