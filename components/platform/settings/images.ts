/** Container images: pinned to a release (and a digest in prod), no older than the configs are written for. */
import type { DeclaredKey } from "./keys";
import type { Reader } from "./reader";
import type { ImageRef, Settings } from "./types";

/**
 * Oldest releases the platform's rendered configs are written for. The collector floor is the
 * release in which every lower_snake_case component name used here exists (older binaries reject
 * them); Tempo 3 removed ingesters and the compactor, so 2.x cannot run these configs.
 */
export const minimumImageVersions = {
    collector: { major: 0, minor: 154, patch: 0 },
    tempo: { major: 3, minor: 0, patch: 0 },
    grafana: { major: 13, minor: 0, patch: 0 },
} as const;

const imagePattern =
    /^(?<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/;
const versionPattern = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** Parses an image reference; returns a reason string when it is not pinned. */
export function parseImageReference(reference: string): ImageRef | string {
    const match = imagePattern.exec(reference);
    if (!match?.groups) return "not an image reference";
    const { repository, tag, digest } = match.groups;
    if (!tag) return "no tag (an untagged image floats to :latest)";
    if (tag === "latest") return "the floating tag :latest";
    const version = versionPattern.exec(tag);
    if (!version) return `tag '${tag}' is not a release version (x.y.z)`;
    return {
        reference,
        repository,
        tag,
        ...(digest ? { digest } : {}),
        version: { major: Number(version[1]), minor: Number(version[2]), patch: Number(version[3]) },
    };
}

export function versionAtLeast(v: ImageRef["version"], floor: ImageRef["version"]): boolean {
    if (v.major !== floor.major) return v.major > floor.major;
    if (v.minor !== floor.minor) return v.minor > floor.minor;
    return v.patch >= floor.patch;
}

export function formatVersion(v: ImageRef["version"]): string {
    return `${v.major}.${v.minor}.${v.patch}`;
}

export function readImage(r: Reader, key: DeclaredKey, floor: ImageRef["version"], requireDigest: boolean): ImageRef {
    const reference = r.string(key, "a pinned image reference repository:x.y.z");
    const placeholder: ImageRef = { reference, repository: "", tag: "", version: { ...floor } };
    if (!reference) return placeholder;
    const parsed = parseImageReference(reference);
    const pinnedShape = `a pinned image reference repository:x.y.z${requireDigest ? "@sha256:<digest>" : "[@sha256:<digest>]"}`;
    if (typeof parsed === "string") {
        r.problem(key, reference, `${pinnedShape}, not ${parsed}`);
        return placeholder;
    }
    if (requireDigest && !parsed.digest) {
        r.problem(key, reference, `${pinnedShape} (production pins the digest too)`);
    }
    const sameMajorTrack = floor.major === 0 ? parsed.version.major === 0 : parsed.version.major === floor.major;
    if (!sameMajorTrack || !versionAtLeast(parsed.version, floor)) {
        r.problem(key, reference, `a ${floor.major}.x release at or above ${formatVersion(floor)}`);
    }
    return parsed;
}

/** Every image the platform runs; production pins digests as well as tags. */
export function readImages(r: Reader, isProduction: boolean): Settings["images"] {
    const images = {
        collector: readImage(r, "collectorImage", minimumImageVersions.collector, isProduction),
        collectorGateway: readImage(r, "collectorGatewayImage", minimumImageVersions.collector, isProduction),
        tempo: readImage(r, "tempoImage", minimumImageVersions.tempo, isProduction),
        grafana: readImage(r, "grafanaImage", minimumImageVersions.grafana, isProduction),
    };

    // One fleet, one release: both tiers are patched together and speak the same component names.
    if (images.collector.tag && images.collectorGateway.tag && formatVersion(images.collector.version) !== formatVersion(images.collectorGateway.version)) {
        r.problem(
            "collectorGatewayImage",
            images.collectorGateway.reference,
            `the same collector release as collectorImage (${formatVersion(images.collector.version)})`,
        );
    }
    return images;
}
