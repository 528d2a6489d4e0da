/**
 * OTLP receiver settings, which the collectors and Tempo share (Tempo's distributor embeds the
 * collector's receivers): the protocols a receivers section opens and the TLS they serve.
 */
import { normalisedComponentType } from "./config-documents";
import { isRecord, isSet } from "./values";

/** Problems of a TLS server setting block (configtls): certificate and key set, minimum version 1.2 or 1.3. */
export function serverTlsProblems(tls: unknown): string[] {
    if (!isRecord(tls)) return ["has no tls settings"];
    const problems: string[] = [];
    if (!isSet(tls.cert_file) && !isSet(tls.cert_pem)) problems.push("has no tls.cert_file");
    if (!isSet(tls.key_file) && !isSet(tls.key_pem)) problems.push("has no tls.key_file");
    if (tls.min_version !== undefined && !["1.2", "1.3"].includes(String(tls.min_version))) problems.push(`accepts TLS ${tls.min_version}`);
    return problems;
}

/** `[protocol, settings]` of every OTLP receiver protocol in a receivers section. */
export function otlpProtocols(receivers: unknown): [string, Record<string, any>][] {
    if (!isRecord(receivers)) return [];
    return Object.entries(receivers)
        .filter(([id]) => normalisedComponentType(id) === "otlp")
        .flatMap(([id, receiver]) =>
            Object.entries(isRecord(receiver?.protocols) ? receiver.protocols : {}).map(([protocol, settings]) => [`${id}.${protocol}`, isRecord(settings) ? settings : {}] as [string, Record<string, any>]),
        );
}
