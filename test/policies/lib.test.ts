import * as assert from "assert";
import { copyRecorded, providerUrnOfReference, stackOfUrn } from "../../policies/resource-shape";
import { isAllowListed, isOpenCidr } from "../../policies/rules/lib/cidrs";
import { parseIni, stringifyIni } from "../../policies/rules/lib/config-documents";
import { grantsPublicAccess, isServiceWildcard, policyStatements } from "../../policies/rules/lib/policy-document";
import { holdsLiteralSecret, isCredentialName, isReference, literalCredentials, secretShapeIn } from "../../policies/rules/lib/secrets";
import { ifKnown, parseJsonish, unknownCheckingProxy, unknownValue } from "../../policies/rules/lib/values";

describe("policies: shared helpers", () => {
    it("reads the stack from a URN and the provider URN from a provider reference", () => {
        const provider = "urn:pulumi:prod::tracing-platform::tracing:platform:Providers$pulumi:providers:aws::tracing-aws";
        assert.strictEqual(stackOfUrn(provider), "prod");
        assert.strictEqual(providerUrnOfReference(`${provider}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`), provider);
        assert.strictEqual(providerUrnOfReference(provider), provider);
    });

    it("copies recorded data deeply, keeping a recorded __proto__ key as data", () => {
        const recorded = JSON.parse('{"inputs":{"data":{"a.json":"{}"},"list":[{"x":1},null,"s"],"__proto__":{"polluted":true}}}');
        const copy = copyRecorded(recorded);
        assert.deepStrictEqual(copy, recorded);
        assert.notStrictEqual(copy.inputs, recorded.inputs);
        assert.notStrictEqual(copy.inputs.list[0], recorded.inputs.list[0]);
        copy.inputs.list[0].x = 2;
        copy.inputs.data["b.json"] = "{}";
        assert.deepStrictEqual(recorded.inputs.list[0], { x: 1 });
        assert.deepStrictEqual(Object.keys(recorded.inputs.data), ["a.json"]);
        assert.strictEqual(Object.getPrototypeOf(copy.inputs), Object.prototype);
        assert.strictEqual((copy.inputs as { polluted?: boolean }).polluted, undefined);
        assert.deepStrictEqual(Object.getOwnPropertyDescriptor(copy.inputs, "__proto__")?.value, { polluted: true });
    });

    it("tells credential settings from settings that only point at one", () => {
        for (const name of ["password", "admin_password", "DB_PASSWORD", "secret_key", "client_secret", "api_key", "apiKey", "token", "bearer_token", "private_key", "sasl_password"]) {
            assert.ok(isCredentialName(name), name);
        }
        for (const name of ["key_file", "password_file", "GF_SECURITY_ADMIN_PASSWORD__FILE", "secretName", "secret_name", "token_type", "tls_key_path", "token_url", "ca_file", "insecure"]) {
            assert.ok(!isCredentialName(name), name);
        }
        for (const value of ["/etc/secret", "${env:TOKEN}", "$__file{/x}", "", "{{ .Values.x }}"]) assert.ok(isReference(value), value);
        assert.ok(!isReference("hunter2"));
        assert.ok(holdsLiteralSecret("admin_password", "hunter2"));
        for (const value of ["true", "FALSE", "8", "0.5", "/run/secrets/x"]) assert.ok(!holdsLiteralSecret("password_policy", value), value);
        assert.strictEqual(secretShapeIn("key: AKIAIOSFODNN7EXAMPLE"), "an AWS access key id");
        assert.strictEqual(secretShapeIn("-----BEGIN RSA PRIVATE KEY-----"), "a PEM private key");
        assert.strictEqual(secretShapeIn("-----BEGIN CERTIFICATE-----"), undefined);
        assert.deepStrictEqual(literalCredentials({ a: { password: "x", password_file: "/p" }, list: [{ token: "t" }, { token: "${T}" }] }), ["a.password", "list[0].token"]);
    });

    it("checks CIDRs against allow-lists, IPv6 only by exact match", () => {
        assert.ok(isOpenCidr("0.0.0.0/0") && isOpenCidr("::/0") && !isOpenCidr("10.0.0.0/8"));
        assert.ok(isAllowListed("10.40.64.0/18", ["10.40.0.0/16"]));
        assert.ok(!isAllowListed("10.40.0.0/15", ["10.40.0.0/16"]));
        assert.ok(!isAllowListed("2001:db8::/32", ["10.0.0.0/8"]));
        assert.ok(isAllowListed("2001:db8::/32", ["2001:db8::/32"]));
        assert.ok(!isAllowListed("not-a-cidr", ["10.0.0.0/8"]));
    });

    it("normalises policy documents whatever their form", () => {
        const [statement] = policyStatements(JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*", Condition: { StringEquals: { "AWS:SourceAccount": 1 } } } }))!;
        assert.deepStrictEqual(statement.actions, ["s3:*"]);
        assert.deepStrictEqual(statement.conditions, { StringEquals: { "aws:sourceaccount": ["1"] } });
        assert.ok(!grantsPublicAccess(statement), "scoped by aws:SourceAccount");
        assert.ok(grantsPublicAccess(policyStatements({ Statement: [{ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:*" }] })![0]));
        assert.strictEqual(policyStatements("not json"), undefined);
        assert.ok(isServiceWildcard("*") && isServiceWildcard("kms:*") && !isServiceWildcard("s3:Get*"));
    });

    it("parses provider config that arrives as JSON strings, and leaves other strings alone", () => {
        assert.deepStrictEqual(parseJsonish('["111111111111"]'), ["111111111111"]);
        assert.deepStrictEqual(parseJsonish('{"tags":{"environment":"dev"}}'), { tags: { environment: "dev" } });
        assert.strictEqual(parseJsonish("eu-west-1"), "eu-west-1");
        assert.strictEqual(parseJsonish("[broken"), "[broken");
    });

    it("reads INI files and writes them back", () => {
        const ini = parseIni("; comment\n[server]\nprotocol = https\n[auth.anonymous]\nenabled = \"false\"\n");
        assert.deepStrictEqual(ini, { "": {}, server: { protocol: "https" }, "auth.anonymous": { enabled: "false" } });
        assert.deepStrictEqual(parseIni(stringifyIni(ini)), ini);
    });

    it("lets a rule ask for an optional fact without deciding on an unknown one", () => {
        const props = unknownCheckingProxy({ known: "x", later: unknownValue });
        assert.deepStrictEqual(ifKnown(() => props.known), { known: true, value: "x" });
        assert.deepStrictEqual(ifKnown(() => props.later), { known: false });
        assert.throws(() => ifKnown(() => { throw new Error("real bug"); }), /real bug/);
    });
});
