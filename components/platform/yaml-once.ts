/**
 * YAML parsed once per distinct text per process, each caller handed its own copy. The program
 * parses each config document once, but the tests read Pulumi.yaml, the stack files and the same
 * catalogues for every settings variant, and parsing them dominated the suite.
 */
import * as yaml from "yaml";

const parsed = new Map<string, unknown>();

/** `yaml.parse(text)`, from the cache when this text was parsed before; throws as yaml.parse does. */
export function parseYamlOnce(text: string): unknown {
    if (!parsed.has(text)) parsed.set(text, yaml.parse(text));
    return structuredClone(parsed.get(text));
}
