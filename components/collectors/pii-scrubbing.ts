/**
 * Data minimisation for every span the fleet accepts: attributes known to carry personal data are
 * dropped or pseudonymised, and values that look like personal data or credentials are masked in
 * span names, status messages, span attributes and span-event names and attributes.
 *
 * Why the transform processor (OTTL) and not the redaction processor: redaction only masks
 * attribute values (not span names, which become the `span_name` label of every RED metric, nor
 * event names), and its fail-closed allow-list would have to enumerate every key the ten systems
 * use or strip them all. OTTL reaches names, status messages and events, deletes and hashes keys,
 * and its regex engine is Go's RE2, the engine the patterns below are written and tested for.
 *
 * Every pattern is RE2 syntax: no look-around, no back-references, `\b` and `\d` are ASCII.
 * Replacements contain no `$`, so they neither reference capture groups nor need the collector's
 * `$$` escaping. The masking is idempotent: a replacement token never matches any pattern, so the
 * gateways can scrub again what the agents already scrubbed (senders that bypass the agents).
 */

/** A value pattern and the token that replaces each match. */
export interface MaskingRule {
    readonly name: string;
    /** Go RE2 syntax. */
    readonly pattern: string;
    readonly replacement: string;
    /** What the pattern is for and what it deliberately leaves alone. */
    readonly why: string;
}

function redacted(kind: string): string {
    return `[REDACTED:${kind}]`;
}

/**
 * Applied in this order: credentials first (a bearer token or `token=` parameter may hold a JWT),
 * then identifiers of people. Card numbers come before phone numbers only for readability; the
 * patterns cannot overlap (cards start 2-6, Russian numbers with 8 or +7, others with +).
 */
export const maskingRules: readonly MaskingRule[] = [
    {
        name: "credential-parameter",
        pattern: String.raw`(?i)\b(?:access_token|refresh_token|id_token|api_?key|password|passwd|secret|token)=[^&#\s"']+`,
        replacement: redacted("credential"),
        why: "credentials in query strings and form bodies (url.full, http.target, log-like attributes)",
    },
    {
        name: "bearer-token",
        pattern: String.raw`(?i)\bbearer\s+[A-Za-z0-9._~+/-]{8,}=*`,
        replacement: redacted("bearer"),
        why: "OAuth bearer tokens; at least 8 token characters so prose such as 'bearer of' is left alone",
    },
    {
        name: "jwt",
        pattern: String.raw`\beyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`,
        replacement: redacted("jwt"),
        why: "JSON Web Tokens: base64url header and payload both start with eyJ ('{\"'); the signature may be empty",
    },
    {
        name: "email",
        pattern: String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`,
        replacement: redacted("email"),
        why: "e-mail addresses, including Cyrillic local parts and domains (.рф)",
    },
    {
        name: "payment-card",
        pattern: String.raw`\b(?:4\d{3}|5[1-5]\d{2}|2[2-7]\d{2}|6\d{3})(?:[ -]?\d{4}){2}[ -]?\d{1,7}\b`,
        replacement: redacted("card"),
        why: "Visa, Mastercard (51-55, 2221-2720), Mir (2200-2204) and UnionPay/Discover (6) numbers of 13-19 digits, optionally grouped by spaces or dashes; whole tokens only, so hex trace ids never match",
    },
    {
        name: "payment-card-amex",
        pattern: String.raw`\b3[47]\d{2}[ -]?\d{6}[ -]?\d{5}\b`,
        replacement: redacted("card"),
        why: "American Express numbers (15 digits, grouped 4-6-5)",
    },
    {
        name: "phone-ru",
        pattern: String.raw`(?:\+7|\b8)[ \t(-]*\d{3}[ \t)-]*\d{3}[ \t-]*\d{2}[ \t-]*\d{2}\b`,
        replacement: redacted("phone"),
        why: "Russian numbers: +7 or 8, then 10 digits, with the usual spaces, dashes and parentheses (+7 (916) 123-45-67, 8 916 123 45 67, 89161234567)",
    },
    {
        name: "phone-international",
        pattern: String.raw`\+[1-9](?:[ -]?\d){7,14}\b`,
        replacement: redacted("phone"),
        why: "E.164 numbers written with a leading + (8-15 digits); a timezone offset such as +03:00 does not match",
    },
];

/** Attribute keys removed wherever they appear (span, span event and resource attributes). */
export const droppedAttributeKeys: readonly string[] = [
    "user.email",
    "user.full_name",
    "user.name",
    "http.request.header.authorization",
    "http.request.header.proxy-authorization",
    "http.request.header.cookie",
    "http.request.header.x-api-key",
    "http.response.header.set-cookie",
    "url.query",
];

/** Key prefixes removed wholesale: the whole `enduser.*` namespace identifies the end user. */
export const droppedAttributeKeyPatterns: readonly string[] = [String.raw`^enduser\.`];

/**
 * Attributes that identify the end user's network location, dropped when
 * `piiDropClientAddress` is on. `network.peer.address` is only the end user's address on the
 * receiving side of a call (server and consumer spans); on client spans it is a backend's.
 */
export const clientAddressKeys: readonly string[] = ["client.address", "client.port", "http.client_ip", "net.peer.ip"];
export const serverSidePeerAddressKeys: readonly string[] = ["network.peer.address", "network.peer.port"];

/**
 * Identifiers kept for correlation but pseudonymised: replaced by `sha256:` + SHA-256 of a
 * per-environment salt and the value. The salt comes from a Secret through the environment, so
 * a dictionary of known ids cannot be hashed offline to reverse them.
 */
export const hashedAttributeKeys: readonly string[] = ["user.id", "session.id"];

/** Prefix marking a pseudonymised value; a value that has it is never hashed again. */
export const hashedValuePrefix = "sha256:";

/** Environment variable holding the pseudonymisation salt (hex, from a Secret). */
export const hashSaltEnvVar = "PII_HASH_SALT";

/** RE2 pattern recognising an already pseudonymised value (no `$`, so no collector escaping). */
export const hashedValuePattern = String.raw`^sha256:[0-9a-fA-F]{64}`;

export interface PiiScrubbingOptions {
    /** Drop client.address and related attributes (config piiDropClientAddress). */
    readonly dropClientAddress: boolean;
}

/** An OTTL string literal: backslashes and double quotes escaped. */
export function ottlString(value: string): string {
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

type AttributeScope = "span" | "spanevent" | "resource";

function deleteStatements(scope: AttributeScope, options: PiiScrubbingOptions): string[] {
    const attributes = `${scope}.attributes`;
    const keys = [...droppedAttributeKeys, ...(options.dropClientAddress ? clientAddressKeys : [])];
    const statements = [
        ...keys.map((key) => `delete_key(${attributes}, ${ottlString(key)})`),
        ...droppedAttributeKeyPatterns.map((pattern) => `delete_matching_keys(${attributes}, ${ottlString(pattern)})`),
    ];
    if (scope === "span" && options.dropClientAddress) {
        statements.push(
            ...serverSidePeerAddressKeys.map(
                (key) => `delete_key(span.attributes, ${ottlString(key)}) where span.kind == SPAN_KIND_SERVER or span.kind == SPAN_KIND_CONSUMER`,
            ),
        );
    }
    return statements;
}

function hashStatements(scope: "span" | "spanevent"): string[] {
    return hashedAttributeKeys.map((key) => {
        const value = `${scope}.attributes[${ottlString(key)}]`;
        const salted = `Concat([${ottlString(`\${env:${hashSaltEnvVar}}`)}, ${value}], "")`;
        return (
            `set(${value}, Concat([${ottlString(hashedValuePrefix)}, SHA256(${salted})], "")) ` +
            `where ${value} != nil and not IsMatch(${value}, ${ottlString(hashedValuePattern)})`
        );
    });
}

function maskStatements(targets: readonly string[], attributeMaps: readonly string[]): string[] {
    return maskingRules.flatMap((rule) => [
        ...targets.map((target) => `replace_pattern(${target}, ${ottlString(rule.pattern)}, ${ottlString(rule.replacement)})`),
        ...attributeMaps.map(
            (map) => `replace_all_patterns(${map}, "value", ${ottlString(rule.pattern)}, ${ottlString(rule.replacement)})`,
        ),
    ]);
}

/** One statement group of the transform processor; the OTTL context is inferred from the path prefixes. */
export interface TransformStatementGroup {
    readonly statements: readonly string[];
}

/**
 * The transform processor's trace statements, grouped so that each group has one inferred OTTL
 * context (resource, span, span event). Key deletion runs before hashing and masking so nothing
 * is spent on values about to be dropped.
 */
export function piiTraceStatements(options: PiiScrubbingOptions): TransformStatementGroup[] {
    return [
        { statements: deleteStatements("resource", options) },
        {
            statements: [
                ...deleteStatements("span", options),
                ...hashStatements("span"),
                ...maskStatements(["span.name", "span.status.message"], ["span.attributes"]),
            ],
        },
        {
            statements: [
                ...deleteStatements("spanevent", options),
                ...hashStatements("spanevent"),
                ...maskStatements(["spanevent.name"], ["spanevent.attributes"]),
            ],
        },
    ];
}

/**
 * Keys of a log record's map body the masking leaves alone: `uname`, the signed-in login on each of
 * Grafana's request log lines. An access log must say who acted (rule 4), and that login is a
 * member of staff's name at the identity provider, possibly an e-mail address, not a customer's data.
 */
export const identityLogKeys: readonly string[] = ["uname"];

/**
 * The transform processor's log statements (log context): the dropped attribute keys go, and the
 * masking rules run over a string body, every value of a map body (JSON lines parsed by the
 * agents) and the record's attributes. The identity keys are set aside in the record's cache
 * before the masking and put back after it.
 */
export function piiLogStatements(): TransformStatementGroup[] {
    const cached = (key: string) => `log.cache[${ottlString(key)}]`;
    const inBody = (key: string) => `log.body[${ottlString(key)}]`;
    return [
        {
            statements: [
                ...droppedAttributeKeys.map((key) => `delete_key(log.attributes, ${ottlString(key)})`),
                ...droppedAttributeKeyPatterns.map((pattern) => `delete_matching_keys(log.attributes, ${ottlString(pattern)})`),
                ...identityLogKeys.map((key) => `set(${cached(key)}, ${inBody(key)}) where IsMap(log.body)`),
                ...maskingRules.flatMap((rule) => {
                    const [pattern, replacement] = [ottlString(rule.pattern), ottlString(rule.replacement)];
                    return [
                        `replace_pattern(log.body, ${pattern}, ${replacement}) where IsString(log.body)`,
                        `replace_all_patterns(log.body, "value", ${pattern}, ${replacement}) where IsMap(log.body)`,
                        `replace_all_patterns(log.attributes, "value", ${pattern}, ${replacement})`,
                    ];
                }),
                ...identityLogKeys.map((key) => `set(${inBody(key)}, ${cached(key)}) where ${cached(key)} != nil`),
            ],
        },
    ];
}

/** Every regular expression the scrubbing hands to the collector (for RE2 validation). */
export function piiPatterns(): string[] {
    return [...maskingRules.map((rule) => rule.pattern), ...droppedAttributeKeyPatterns, hashedValuePattern];
}
