/**
 * The recording cache may only ever return what a fresh recording would: its key must change with
 * every input of the recorder (stack, stack file, overrides, TRACING_ environment) and stay the same
 * when nothing changed.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deferModule } from "../harness/deferred-module";
import { recordingKey } from "../harness/recording-cache";
import { projectRoot } from "../harness/stack-config";

describe("test harness: recording cache key", () => {
    const base = () => recordingKey("prod", "prod", { "tracing-platform:traceDurability": "replicated" }, []);

    it("is stable for the same inputs", () => {
        assert.equal(base(), base());
    });

    it("changes with the stack, the stack file, any override and TRACING_ variables", () => {
        const keys = [
            base(),
            recordingKey("dev", "prod", { "tracing-platform:traceDurability": "replicated" }, []),
            recordingKey("prod", "dev", { "tracing-platform:traceDurability": "replicated" }, []),
            recordingKey("prod", "prod", { "tracing-platform:traceDurability": "single-node" }, []),
            recordingKey("prod", "prod", {}, []),
        ];
        process.env.TRACING_TEST_CLOCK = "2030-01-01T00:00:00Z";
        try {
            keys.push(base());
            assert.equal(recordingKey("prod", "prod", { "tracing-platform:traceDurability": "replicated" }, ["TRACING_TEST_CLOCK"]), keys[0], "an ignored variable does not count");
        } finally {
            delete process.env.TRACING_TEST_CLOCK;
        }
        assert.equal(new Set(keys).size, keys.length, "every input changes the key");
    });

    it("changes with Pulumi.yaml and the stack's own file, not with another stack's file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recording-key-"));
        try {
            for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(projectRoot, file), path.join(dir, file));
            const key = () => recordingKey("prod", "prod", {}, [], dir);
            const original = key();
            assert.equal(original, recordingKey("prod", "prod", {}, []), "the same files give the project's key");
            fs.appendFileSync(path.join(dir, "Pulumi.dev.yaml"), "# an edit to dev\n");
            assert.equal(key(), original, "dev's file does not touch prod's recording");
            fs.appendFileSync(path.join(dir, "Pulumi.prod.yaml"), "# an edit to prod\n");
            const afterProd = key();
            assert.notEqual(afterProd, original, "prod's file does");
            fs.appendFileSync(path.join(dir, "Pulumi.yaml"), "# an edit to the project\n");
            assert.notEqual(key(), afterProd, "and so does Pulumi.yaml");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("test harness: the recorder's stand-in for a module it never uses (the TypeScript compiler)", () => {
    it("defers loading the module until something uses it, then hands over the real one", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deferred-module-"));
        try {
            const file = path.join(dir, "heavy.js");
            fs.writeFileSync(file, "globalThis.__heavyLoads = (globalThis.__heavyLoads || 0) + 1;\nmodule.exports = { version: '5.9.3', parse: (text) => text.length };\n");
            const loads = () => (globalThis as { __heavyLoads?: number }).__heavyLoads ?? 0;
            const deferred = deferModule(file);
            const heavy = require(file) as { version: string; parse: (text: string) => number };
            assert.equal(loads(), 0, "requiring alone does not load it");
            assert.equal(deferred.loaded(), false);
            assert.equal(heavy.version, "5.9.3");
            assert.equal(heavy.parse("four"), 4);
            assert.ok("parse" in heavy);
            assert.equal(loads(), 1, "loaded once, on first use");
            assert.equal(deferred.loaded(), true);
            delete require.cache[file];
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("is what the recorder loads first for typescript, before the Pulumi SDK", () => {
        const recorder = fs.readFileSync(path.join(projectRoot, "test/harness/record-stack.ts"), "utf8");
        const order = ["./lazy-typescript", "@pulumi/pulumi"].map((module) => recorder.indexOf(`"${module}"`));
        assert.ok(order[0] >= 0 && order[0] < order[1], "lazy-typescript is imported before @pulumi/pulumi");
        assert.match(fs.readFileSync(path.join(projectRoot, "test/harness/lazy-typescript.ts"), "utf8"), /deferModule\(require\.resolve\("typescript"\)\)/);
    });
});
