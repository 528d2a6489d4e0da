/**
 * Turning a load into Kubernetes requests: a component documented as needing `cores` and
 * `memoryGb` per replica at `bytesPerSecond` gets that share of it for the bytes it carries, never
 * less than an idle process needs. Requests are what the scheduler reserves (and the cost model
 * prices); limits leave room above them.
 */

/** Kubernetes resource requests and limits. */
export interface PodResources {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
}

/** A replica's documented size at its documented throughput. */
export interface DocumentedSize {
    readonly bytesPerSecond: number;
    readonly cores: number;
    readonly memoryGb: number;
}

export interface ProcessFloor {
    readonly cores: number;
    readonly memoryMiB: number;
}

export function round(value: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

/** Requests rounded up to whole millicores and MiB, limits `limitFactor` times the rounded requests. */
export function podResources(cores: number, memoryMiB: number, limitFactor = 2): PodResources {
    const millicores = Math.ceil(cores * 1000);
    const mebibytes = Math.ceil(memoryMiB);
    return {
        requests: { cpu: `${millicores}m`, memory: `${mebibytes}Mi` },
        limits: { cpu: `${Math.ceil(millicores * limitFactor)}m`, memory: `${Math.ceil(mebibytes * limitFactor)}Mi` },
    };
}

/** The documented share for `bytesPerSecond` (already including headroom), at least the floor. */
export function scaledToLoad(size: DocumentedSize, bytesPerSecond: number, floor: ProcessFloor): { cores: number; memoryMiB: number } {
    const share = bytesPerSecond / size.bytesPerSecond;
    return {
        cores: Math.max(floor.cores, size.cores * share),
        memoryMiB: Math.max(floor.memoryMiB, ((size.memoryGb * 1e9) / 2 ** 20) * share),
    };
}

/** Whole GiB holding `bytes` (at least 1). */
export function gibibytes(bytes: number): number {
    return Math.max(1, Math.ceil(bytes / 2 ** 30));
}
