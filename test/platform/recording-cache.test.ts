/**
 * The recording cache may only ever return what a fresh recording would: its key must change with
 * every input of the recorder (stack, stack file, overrides, TRACING_ environment) and stay the same
 * when nothing changed.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
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

describe("test harness: the recorder's stand-in for the TypeScript compiler", () => {
    it("defers loading the compiler until something uses it, then hands over the real one", () => {
        // In a child process: the stand-in replaces a module-cache entry, which this worker must keep.
        const script = [
            'const { typescriptLoaded } = require("./test/harness/lazy-typescript");',
            'const assert = require("assert");',
            "assert.equal(typescriptLoaded(), false);",
            'const ts = require("typescript");',
            "assert.equal(typescriptLoaded(), false, 'requiring alone does not load it');",
            "assert.equal(typeof ts.createSourceFile, 'function');",
            "assert.match(ts.version, /^\\d+\\.\\d+/);",
            "assert.equal(typescriptLoaded(), true);",
            'console.log("ok");',
        ].join("\n");
        const result = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: projectRoot, encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout.trim(), "ok");
    });
});
