/**
 * What the Grafana image is built from and tagged with, apart from the resources that build it, so
 * the tag rule and the build platform can be read (and tested) without loading a cloud provider.
 */
import * as crypto from "crypto";
import { amazonPrometheusPlugin } from "./ini";

/** Build context of the Grafana image, relative to the project directory (where Pulumi runs the program). */
export const grafanaImageContext = "images/grafana";

/** The only platform the baked plugin package exists for (its linux-amd64 build). */
export const grafanaImagePlatform = "linux/amd64";

/** Days an untagged image (a superseded build's leftovers) stays in the repository. */
export const untaggedImageExpiryDays = 14;

/**
 * The image tag: Grafana and plugin versions for people, plus a digest of everything the build
 * consumes (base reference, plugin pin, Dockerfile) because tags are immutable: a new base digest
 * under the same Grafana tag, or a Dockerfile change, must push under a new tag, never the old one.
 */
export function grafanaImageTag(baseImage: string, grafanaVersion: string, dockerfile: string): string {
    const inputs = crypto
        .createHash("sha256")
        .update([baseImage, amazonPrometheusPlugin.url, amazonPrometheusPlugin.sha256, dockerfile].join("\0"))
        .digest("hex")
        .slice(0, 12);
    return `${grafanaVersion}-amp${amazonPrometheusPlugin.version}-${inputs}`;
}
