import { strict as assert } from "assert";
import { createHash } from "crypto";
import * as yaml from "yaml";
import { RE2 } from "re2-wasm";
import { literals, re2 } from "./ottl";
import {
    hashSaltEnvVar,
    hashedAttributeKeys,
    maskingRules,
    ottlString,
    piiPatterns,
    piiTraceStatements,
} from "../../components/collectors/pii-scrubbing";
import { agentIds } from "../../components/collectors/agent-config";
import type { CollectorConfig } from "../../components/collectors/config-types";
import { gatewayIds } from "../../components/collectors/gateway-config";
import { fleetConfigs } from "./fixtures";

function mask(value: string): string {
    return maskingRules.reduce((text, rule) => text.replace(re2(rule.pattern, true), rule.replacement), value);
}

/** Sample values and what must become of them. `kinds` empty: left exactly as it was. */
const samples: { value: string; kinds: string[] }[] = [
    { value: "order confirmation sent to ivan.petrov@example.com", kinds: ["email"] },
    { value: "notify иван@почта.рф", kinds: ["email"] },
    { value: "callback +7 (916) 123-45-67", kinds: ["phone"] },
    { value: "sms to 8 916 123 45 67 queued", kinds: ["phone"] },
    { value: "89161234567", kinds: ["phone"] },
    { value: "+79161234567", kinds: ["phone"] },
    { value: "international +49 151 1234 5678", kinds: ["phone"] },
    { value: "card 4111 1111 1111 1111 declined", kinds: ["card"] },
    { value: "5500-0000-0000-0004", kinds: ["card"] },
    { value: "mir 2200 1234 5678 9010", kinds: ["card"] },
    { value: "amex 3782 822463 10005", kinds: ["card"] },
    { value: "token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", kinds: ["jwt"] },
    { value: "Authorization: Bearer 7f3a9c2e1b8d4f6a0e5c", kinds: ["bearer"] },
    { value: "GET /callback?access_token=abc123def&state=xyz", kinds: ["credential"] },
    // Innocent values that look numeric, hex or structured: untouched.
    { value: "4bf92f3577b34da6a3ce929d0e0e4736", kinds: [] },
    { value: "00f067aa0ba902b7", kinds: [] },
    { value: "ORD-2026-000123", kinds: [] },
    { value: "2026-11-25T12:34:56.789+03:00", kinds: [] },
    { value: "2026-11-25T08:00:00Z", kinds: [] },
    { value: "123e4567-e89b-12d3-a456-426614174000", kinds: [] },
    { value: "1732537286123456789", kinds: [] },
    { value: "GET /api/orders/{orderId}", kinds: [] },
    { value: "10.20.30.40:4317", kinds: [] },
    { value: "order 12345678 shipped in 1500 ms", kinds: [] },
    { value: "the bearer of this message", kinds: [] },
    { value: "otelcol-contrib v0.165.0", kinds: [] },
];

describe("PII patterns under RE2 (Go's regex engine)", () => {
    it("every pattern compiles in RE2", () => {
        for (const pattern of piiPatterns()) assert.doesNotThrow(() => re2(pattern), pattern);
    });

    it("RE2 is really the judge: a pattern RE2 rejects fails here even though JavaScript accepts it", () => {
        const lookbehind = String.raw`(?<=card )\d{16}`;
        assert.doesNotThrow(() => new RegExp(lookbehind, "u"));
        assert.throws(() => new RE2(lookbehind, "u"));
    });

    for (const sample of samples) {
        const expectation = sample.kinds.length === 0 ? "is preserved" : `is masked as ${sample.kinds.join(", ")}`;
        it(`'${sample.value}' ${expectation}`, () => {
            const result = mask(sample.value);
            if (sample.kinds.length === 0) {
                assert.equal(result, sample.value);
                return;
            }
            for (const kind of sample.kinds) assert.ok(result.includes(`[REDACTED:${kind}]`), result);
            assert.doesNotMatch(result, /\d{4}[ -]?\d{4}[ -]?\d{4}|@|eyJ|916|abc123/, `left-over personal data in '${result}'`);
        });
    }

    it("masking is idempotent, so the gateways may scrub what the agents scrubbed", () => {
        for (const sample of samples) assert.equal(mask(mask(sample.value)), mask(sample.value));
    });

    it("the table covers at least 15 samples of both kinds", () => {
        assert.ok(samples.length >= 15);
        assert.ok(samples.filter((s) => s.kinds.length === 0).length >= 8);
        for (const kind of ["email", "phone", "card", "jwt", "bearer"]) assert.ok(samples.some((s) => s.kinds.includes(kind)), kind);
    });
});

// ---------------------------------------------------------------------------------------------
// The rendered configs, executed: a small interpreter for exactly the OTTL statement forms the
// builder emits (it throws on anything else), with RE2 doing the regex work as Go would.

interface FakeSpan {
    kind: "SPAN_KIND_SERVER" | "SPAN_KIND_CLIENT" | "SPAN_KIND_CONSUMER";
    name: string;
    status: { message: string };
    attributes: Record<string, unknown>;
    events: { name: string; attributes: Record<string, unknown> }[];
    resource: Record<string, unknown>;
}


/** Simulates the collector's env expansion, then returns the PII statement groups as the transform processor reads them. */
function renderedPiiStatements(configYaml: string, processorId: string, salt: string): string[][] {
    const expanded = configYaml.replaceAll(`\${env:${hashSaltEnvVar}}`, salt);
    const config = yaml.parse(expanded) as CollectorConfig;
    const transform = config.processors[processorId] as unknown as { trace_statements: { statements: string[] }[] };
    return transform.trace_statements.map((g) => g.statements);
}

type Scope = { fields: Record<string, string | undefined>; attributes: Record<string, unknown>; kind?: string };

function scopesOf(span: FakeSpan, prefix: string): Scope[] {
    if (prefix === "resource") return [{ fields: {}, attributes: span.resource }];
    if (prefix === "span") return [{ fields: { name: span.name, "status.message": span.status.message }, attributes: span.attributes, kind: span.kind }];
    return span.events.map((e) => ({ fields: { name: e.name }, attributes: e.attributes }));
}

function writeBack(span: FakeSpan, prefix: string, scopes: Scope[]): void {
    if (prefix === "span") {
        span.name = scopes[0].fields.name!;
        span.status.message = scopes[0].fields["status.message"]!;
    }
    if (prefix === "spanevent") scopes.forEach((s, i) => (span.events[i].name = s.fields.name!));
}

function execute(statement: string, scope: Scope): void {
    const args = literals(statement);
    let m: RegExpMatchArray | null;
    if ((m = /^delete_key\(\w+\.attributes, "[^"]+"\)(?: where (.*))?$/.exec(statement))) {
        const where = m[1];
        if (where) {
            const kinds = [...where.matchAll(/span\.kind == (SPAN_KIND_\w+)/g)].map((k) => k[1]);
            assert.equal(where, kinds.map((k) => `span.kind == ${k}`).join(" or "), `unsupported condition: ${where}`);
            if (!kinds.includes(scope.kind!)) return;
        }
        delete scope.attributes[args[0]];
    } else if (/^delete_matching_keys\(\w+\.attributes, /.test(statement)) {
        for (const key of Object.keys(scope.attributes)) if (re2(args[0]).test(key)) delete scope.attributes[key];
    } else if ((m = /^replace_pattern\(\w+\.(name|status\.message), /.exec(statement))) {
        const value = scope.fields[m[1]];
        if (typeof value === "string") scope.fields[m[1]] = value.replace(re2(args[0], true), args[1]);
    } else if (/^replace_all_patterns\(\w+\.attributes, "value", /.test(statement)) {
        for (const [key, value] of Object.entries(scope.attributes)) {
            if (typeof value === "string") scope.attributes[key] = value.replace(re2(args[1], true), args[2]);
        }
    } else if ((m = /^set\(\w+\.attributes\["([^"]+)"\], Concat\(\["sha256:", SHA256\(Concat\(\["([0-9a-f]+)", /.exec(statement))) {
        const [key, salt] = [m[1], m[2]];
        const pattern = args.at(-1)!;
        const value = scope.attributes[key];
        if (value === undefined || re2(pattern).test(String(value))) return;
        scope.attributes[key] = `sha256:${createHash("sha256").update(`${salt}${String(value)}`).digest("hex")}`;
    } else {
        throw new Error(`the test interpreter does not know this statement form: ${statement}`);
    }
}

function scrub(span: FakeSpan, groups: string[][]): FakeSpan {
    const copy: FakeSpan = structuredClone(span);
    for (const statements of groups) {
        const prefix = /^\w+\(\s*(\w+)\./.exec(statements[0])?.[1] ?? /\((\w+)\./.exec(statements[0])![1];
        const scopes = scopesOf(copy, prefix);
        for (const statement of statements) {
            assert.ok(statement.includes(`${prefix}.`), `group of ${prefix} holds ${statement}`);
            for (const scope of scopes) execute(statement, scope);
        }
        writeBack(copy, prefix, scopes);
    }
    return copy;
}

const salt = "5a1t".repeat(16).replace(/t/g, "f");

function sampleSpan(kind: FakeSpan["kind"] = "SPAN_KIND_SERVER"): FakeSpan {
    return {
        kind,
        name: "POST /users/ivan.petrov@example.com/cards/4111111111111111",
        status: { message: "declined for +7 916 123-45-67" },
        attributes: {
            "user.email": "ivan.petrov@example.com",
            "user.id": 4242,
            "session.id": "s-77",
            "enduser.id": "ivan",
            "enduser.role": "admin",
            "http.request.header.authorization": "Bearer abcdefghijklmnop",
            "client.address": "203.0.113.7",
            "network.peer.address": "203.0.113.7",
            "url.full": "https://shop.example.com/cb?token=s3cr3t&step=2",
            "http.route": "/users/{id}/cards/{card}",
            "order.id": "ORD-2026-000123",
            "messaging.destination.name": "orders.created",
            "trace.note": "4bf92f3577b34da6a3ce929d0e0e4736",
        },
        events: [
            {
                name: "exception for иван@почта.рф",
                attributes: { "exception.message": "JWT eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig rejected for 8 916 123 45 67", "user.id": "u-1" },
            },
        ],
        resource: { "service.name": "online-store-api", "enduser.id": "ivan", "k8s.pod.name": "api-7d9" },
    };
}

for (const [tier, key, processorId] of [
    ["agent", "agentYaml", agentIds.pii],
    ["gateway", "gatewayYaml", gatewayIds.pii],
] as const) {
    describe(`PII scrubbing as rendered in the ${tier} config`, () => {
        const fleet = fleetConfigs("dev");
        const groups = renderedPiiStatements(fleet[key], processorId, salt);

        it("every regex in the rendered statements compiles in RE2", () => {
            let count = 0;
            for (const statement of groups.flat()) {
                const patterns = statement.startsWith("replace_all_patterns")
                    ? [literals(statement)[1]]
                    : statement.startsWith("replace_pattern") || statement.startsWith("delete_matching_keys")
                      ? [literals(statement)[0]]
                      : statement.startsWith("set(")
                        ? [literals(statement).at(-1)!]
                        : [];
                for (const pattern of patterns) {
                    assert.doesNotThrow(() => re2(pattern), pattern);
                    count++;
                }
            }
            assert.ok(count >= maskingRules.length * 2);
        });

        it("scrubs span names, status messages, attributes and events; keeps what is not personal", () => {
            const scrubbed = scrub(sampleSpan(), groups);
            assert.equal(scrubbed.name, "POST /users/[REDACTED:email]/cards/[REDACTED:card]");
            assert.equal(scrubbed.status.message, "declined for [REDACTED:phone]");
            for (const dropped of ["user.email", "enduser.id", "enduser.role", "http.request.header.authorization", "client.address", "network.peer.address"]) {
                assert.ok(!(dropped in scrubbed.attributes), `${dropped} kept`);
            }
            assert.equal(scrubbed.attributes["url.full"], "https://shop.example.com/cb?[REDACTED:credential]&step=2");
            for (const kept of ["http.route", "order.id", "messaging.destination.name", "trace.note"]) {
                assert.equal(scrubbed.attributes[kept], sampleSpan().attributes[kept], `${kept} changed`);
            }
            assert.equal(scrubbed.events[0].name, "exception for [REDACTED:email]");
            assert.equal(scrubbed.events[0].attributes["exception.message"], "JWT [REDACTED:jwt] rejected for [REDACTED:phone]");
            assert.ok(!("enduser.id" in scrubbed.resource));
            assert.equal(scrubbed.resource["k8s.pod.name"], "api-7d9");
        });

        it("pseudonymises user and session ids with the salt, once", () => {
            const once = scrub(sampleSpan(), groups);
            for (const k of hashedAttributeKeys) assert.match(String(once.attributes[k]), /^sha256:[0-9a-f]{64}$/);
            const expected = `sha256:${createHash("sha256").update(`${salt}4242`).digest("hex")}`;
            assert.equal(once.attributes["user.id"], expected, "the salt takes part in the hash");
            assert.match(String(once.events[0].attributes["user.id"]), /^sha256:/);
            assert.deepEqual(scrub(once, groups), once, "a second pass (agent, then gateway) changes nothing");
        });

        it("keeps the peer address of client spans (a backend's, not a person's)", () => {
            const client = scrub(sampleSpan("SPAN_KIND_CLIENT"), groups);
            assert.equal(client.attributes["network.peer.address"], "203.0.113.7");
            assert.ok(!("client.address" in client.attributes));
        });
    });
}

describe("PII statements: the OTTL string literal encoding", () => {
    it("round-trips every pattern and replacement exactly", () => {
        for (const rule of maskingRules) {
            assert.deepEqual(literals(ottlString(rule.pattern)), [rule.pattern]);
            assert.deepEqual(literals(ottlString(rule.replacement)), [rule.replacement]);
        }
    });

    it("without piiDropClientAddress, client addresses stay", () => {
        const groups = piiTraceStatements({ dropClientAddress: false }).map((g) => [...g.statements]);
        const scrubbed = scrub(sampleSpan(), groups.map((g) => g.map((s) => s.replaceAll(`\${env:${hashSaltEnvVar}}`, salt))));
        assert.equal(scrubbed.attributes["client.address"], "203.0.113.7");
        assert.ok(!("user.email" in scrubbed.attributes));
    });
});
