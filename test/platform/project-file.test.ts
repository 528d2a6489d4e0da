import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { declaredKeys } from "../../components/platform/settings";
import { readProjectFile, readStackFile, projectRoot } from "../harness/stack-config";

const configTypes = ["string", "integer", "boolean", "array"];

function matchesType(value: unknown, type: string, itemType?: string): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value);
        case "boolean":
            return typeof value === "boolean";
        case "array":
            return Array.isArray(value) && value.every((v) => matchesType(v, itemType ?? "string"));
        default:
            return false;
    }
}

/** Rows of the config reference table in docs/configuration.md: key -> description cell. */
function documentedConfigTable(): Map<string, string> {
    const doc = fs.readFileSync(path.join(projectRoot, "docs", "configuration.md"), "utf8");
    const start = doc.indexOf("<!-- config-reference:start -->");
    const end = doc.indexOf("<!-- config-reference:end -->");
    assert.ok(start >= 0 && end > start, "docs/configuration.md has a config reference table between markers");
    const rows = new Map<string, string>();
    for (const line of doc.slice(start, end).split("\n")) {
        const cells = line.split("|").map((c) => c.trim());
        const key = /^`([A-Za-z][A-Za-z0-9]*)`$/.exec(cells[1] ?? "")?.[1];
        if (key) rows.set(key, line);
    }
    return rows;
}

describe("Pulumi.yaml: typed configuration", () => {
    const project = readProjectFile();
    const entries = Object.entries(project.config);

    it("is the tracing-platform project on the nodejs runtime", () => {
        assert.equal(project.name, "tracing-platform");
        assert.equal((project as any).runtime.name, "nodejs");
    });

    it("every key has a type Pulumi accepts and a description", () => {
        for (const [key, declaration] of entries) {
            assert.ok(configTypes.includes(declaration.type ?? ""), `${key}: type ${declaration.type}`);
            assert.ok((declaration.description ?? "").trim().length >= 20, `${key} needs a description`);
            if (declaration.type === "array") assert.ok(declaration.items?.type, `${key}: array without items type`);
        }
    });

    it("every default matches its declared type", () => {
        for (const [key, declaration] of entries) {
            if (declaration.default === undefined) continue;
            assert.ok(matchesType(declaration.default, declaration.type!, declaration.items?.type), `${key} default is not ${declaration.type}`);
        }
    });

    it("declares exactly the keys the settings module reads", () => {
        assert.deepEqual(entries.map(([key]) => key).sort(), [...declaredKeys].sort());
    });

    for (const stack of ["dev", "prod"]) {
        it(`Pulumi.${stack}.yaml only sets declared keys, with values of the declared type`, () => {
            for (const [fullKey, value] of Object.entries(readStackFile(stack))) {
                const [namespace, key] = fullKey.split(":");
                if (namespace !== project.name) continue;
                const declaration = project.config[key];
                assert.ok(declaration, `${fullKey} is not declared in Pulumi.yaml`);
                assert.ok(matchesType(value, declaration.type!, declaration.items?.type), `${fullKey} is not ${declaration.type}`);
            }
        });

        it(`Pulumi.${stack}.yaml disables default providers and pins the account`, () => {
            const config = readStackFile(stack);
            assert.deepEqual(config["pulumi:disable-default-providers"], ["*"]);
            assert.equal((config["aws:allowedAccountIds"] as string[]).length, 1);
        });
    }

    it("the config reference in docs/configuration.md lists every key with its description", () => {
        const rows = documentedConfigTable();
        assert.deepEqual([...rows.keys()].sort(), entries.map(([key]) => key).sort());
        for (const [key, declaration] of entries) {
            const firstSentence = declaration.description!.split(/[.;(]/)[0].trim();
            assert.ok(rows.get(key)!.includes(firstSentence), `docs/configuration.md row for ${key} does not carry its description`);
        }
    });
});
