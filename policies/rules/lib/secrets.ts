/**
 * Recognising secret values that sit in plain configuration: settings named like credentials with a
 * literal value (not a file path or an environment/file reference), private keys, cloud access keys
 * and bearer tokens.
 */
import { isRecord } from "./values";

/** Setting names that hold credentials. */
const credentialName = /(password|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|credential|access[_-]?key)/i;

/** Names that only point at a credential (a file, a Secret's name, a header name, a key id...). */
const pointerName = /(file|path|dir|name|ref|env|type|enabled|mode|ttl|timeout|expiry|expiration|rotation|length|header|id|url|uri|endpoint|format|secret_?ref)$/i;

/** Secret material recognisable by its shape wherever it appears. */
const secretShapes: readonly { readonly what: string; readonly pattern: RegExp }[] = [
    { what: "a PEM private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/** True when a setting name says it holds a credential itself. */
export function isCredentialName(name: string): boolean {
    return credentialName.test(name) && !pointerName.test(name);
}

/** True for values that refer to a secret instead of containing it (paths, `${env:X}`, `$__file{...}`, templates). */
export function isReference(value: string): boolean {
    const trimmed = value.trim();
    return trimmed === "" || trimmed.startsWith("/") || trimmed.startsWith("./") || trimmed.startsWith("$") || /^\{\{.*\}\}$/.test(trimmed);
}

/** True when a credential-named setting holds its secret literally (not a reference, not a flag or number such as password_policy = true). */
export function holdsLiteralSecret(name: string, value: string): boolean {
    return isCredentialName(name) && !isReference(value) && !/^(true|false|yes|no|on|off|-?\d+(\.\d+)?)$/i.test(value.trim());
}

/** What kind of secret material a text contains, if any. */
export function secretShapeIn(text: string): string | undefined {
    return secretShapes.find((shape) => shape.pattern.test(text))?.what;
}

/** Dotted paths of credential-named settings holding literal values, anywhere in a parsed document. */
export function literalCredentials(document: unknown, path = ""): string[] {
    if (Array.isArray(document)) return document.flatMap((item, index) => literalCredentials(item, `${path}[${index}]`));
    if (!isRecord(document)) return [];
    const found: string[] = [];
    for (const [key, value] of Object.entries(document)) {
        const at = path ? `${path}.${key}` : key;
        if (typeof value === "string" && holdsLiteralSecret(key, value)) found.push(at);
        else found.push(...literalCredentials(value, at));
    }
    return found;
}
