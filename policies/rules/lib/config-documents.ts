/**
 * Configuration files carried in ConfigMaps (collector and Tempo YAML, grafana.ini), parsed so
 * rules judge the configuration itself rather than matching strings in it.
 */
import * as yaml from "yaml";
import { isRecord } from "./values";

export interface ConfigDocument {
    /** The ConfigMap data key (file name) it came from. */
    readonly key: string;
    readonly document: Record<string, any>;
}

/** Parsed files by their text, so the several rules reading one ConfigMap parse it once (callers never modify them). */
const parsedTexts = new Map<string, unknown>();
const parsedTextsLimit = 512;

/**
 * A file's content as data: JSON first (dashboards are big and YAML parsing JSON is slow), then
 * YAML; undefined when neither. The result is shared between callers: read it, or edit a copy.
 */
export function parseDocument(text: string): unknown {
    if (parsedTexts.has(text)) return parsedTexts.get(text);
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch {
        try {
            document = yaml.parse(text);
        } catch {
            // Not YAML (a script, a PEM bundle...): other rules look at it as text.
        }
    }
    if (parsedTexts.size >= parsedTextsLimit) parsedTexts.delete(parsedTexts.keys().next().value as string);
    parsedTexts.set(text, document);
    return document;
}

/** Data entries of a ConfigMap that parse as YAML (or JSON) mappings. */
export function yamlDocuments(props: Record<string, any>): ConfigDocument[] {
    const data = props.data;
    if (!isRecord(data)) return [];
    const documents: ConfigDocument[] = [];
    for (const [key, text] of Object.entries(data)) {
        if (typeof text !== "string" || key.endsWith(".ini")) continue;
        const document = parseDocument(text);
        if (isRecord(document)) documents.push({ key, document });
    }
    return documents;
}

/** An OpenTelemetry Collector configuration: it has pipelines under `service`. */
export function isCollectorConfig(document: Record<string, any>): boolean {
    return isRecord(document.service) && isRecord(document.service.pipelines);
}

/** A Tempo configuration: it has trace storage. */
export function isTempoConfig(document: Record<string, any>): boolean {
    return isRecord(document.storage) && isRecord(document.storage.trace);
}

export function collectorConfigs(props: Record<string, any>): ConfigDocument[] {
    return yamlDocuments(props).filter((d) => isCollectorConfig(d.document));
}

export function tempoConfigs(props: Record<string, any>): ConfigDocument[] {
    return yamlDocuments(props).filter((d) => isTempoConfig(d.document));
}

/** Sections of an INI file (`[auth.anonymous]` → key → value); keys before any section are in "". */
export type IniDocument = Readonly<Record<string, Readonly<Record<string, string>>>>;

export function parseIni(text: string): IniDocument {
    const sections: Record<string, Record<string, string>> = { "": {} };
    let current = sections[""];
    for (const rawLine of text.split(/\r?\n/)) {
        const line = rawLine.trim();
        if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
        const section = /^\[([^\]]+)\]$/.exec(line);
        if (section) {
            current = sections[section[1].trim()] ??= {};
            continue;
        }
        const eq = line.indexOf("=");
        if (eq <= 0) continue;
        current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    }
    return sections;
}

/** `grafana.ini`-style data entries of a ConfigMap. */
export function iniDocuments(props: Record<string, any>): { key: string; document: IniDocument }[] {
    const data = props.data;
    if (!isRecord(data)) return [];
    return Object.entries(data)
        .filter(([key, text]) => key.endsWith(".ini") && typeof text === "string")
        .map(([key, text]) => ({ key, document: parseIni(text as string) }));
}

/** The component type of a collector component id (`otlp/internal` → `otlp`). */
export function componentType(id: string): string {
    return id.split("/")[0] ?? id;
}

/** A collector component type with underscores removed, so `otlp_grpc` and `otlpgrpc` compare equal. */
export function normalisedComponentType(id: string): string {
    return componentType(id).replace(/_/g, "").toLowerCase();
}

/** Serialises an INI document parsed by `parseIni` (keys before any section first). */
export function stringifyIni(document: IniDocument): string {
    const lines: string[] = [];
    for (const [section, settings] of Object.entries(document)) {
        if (section !== "") lines.push(`[${section}]`);
        for (const [key, value] of Object.entries(settings)) lines.push(`${key} = ${value}`);
        lines.push("");
    }
    return lines.join("\n");
}
