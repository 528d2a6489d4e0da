/**
 * What the tests that execute the rendered OTTL statements share: RE2 (Go's regex engine, as the
 * collector runs the patterns) and the string literals of a statement, unescaped as OTTL reads them.
 */
import { RE2 } from "re2-wasm";

const compiled = new Map<string, RE2>();

/**
 * Go's regexp and re2-wasm share RE2 syntax; the `u` flag is how re2-wasm runs (always Unicode).
 * Compiled once per pattern: re2-wasm never frees a compiled regex and its heap is 16 MiB.
 */
export function re2(pattern: string, global = false): RE2 {
    const flags = global ? "gu" : "u";
    const key = `${flags}/${pattern}`;
    let regex = compiled.get(key);
    if (!regex) {
        regex = new RE2(pattern, flags);
        compiled.set(key, regex);
    }
    return regex;
}

const literal = /"((?:[^"\\]|\\.)*)"/g;

/** The string literals of an OTTL statement, in order, unescaped. */
export function literals(statement: string): string[] {
    return [...statement.matchAll(literal)].map((m) => m[1].replace(/\\(.)/g, "$1"));
}
