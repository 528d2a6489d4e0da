/**
 * The program's clock (components/platform/clock.ts): certificate renewal is decided from it, so the
 * override the tests and the drift check use must be exact, and a typo must stop the program rather
 * than silently fall back to the real time.
 */
import { strict as assert } from "assert";
import { clockVariable, platformClock } from "../../components/platform/clock";

describe("platform clock", () => {
    it("is the real time unless TRACING_PLATFORM_NOW is set (or empty, as an unset workflow output leaves it)", () => {
        for (const environment of [{}, { [clockVariable]: "" }]) {
            const before = Date.now();
            const now = platformClock(environment).getTime();
            assert.ok(now >= before && now <= Date.now());
        }
    });

    it("takes an ISO 8601 instant with a time zone from TRACING_PLATFORM_NOW", () => {
        assert.equal(clockVariable, "TRACING_PLATFORM_NOW");
        assert.equal(platformClock({ [clockVariable]: "2027-05-01T00:00:00Z" }).toISOString(), "2027-05-01T00:00:00.000Z");
        assert.equal(platformClock({ [clockVariable]: "2027-05-01T02:30:00.123+02:00" }).toISOString(), "2027-05-01T00:30:00.123Z");
    });

    it("refuses anything else, naming the variable and what it accepts", () => {
        for (const value of ["tomorrow", "2027-05-01", "2027-05-01T00:00:00", "2027-13-01T00:00:00Z"]) {
            assert.throws(() => platformClock({ [clockVariable]: value }), /TRACING_PLATFORM_NOW is '.*'; allowed: an ISO 8601 instant with a time zone/, value);
        }
    });
});
