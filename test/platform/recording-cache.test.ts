/**
 * The recording cache may only ever return what a fresh recording would: its key must change with
 * every input of the recorder (stack, stack file, overrides, TRACING_ environment) and stay the same
 * when nothing changed.
 */
import { strict as assert } from "assert";
import { recordingKey } from "../harness/recording-cache";

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
});
