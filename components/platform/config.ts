/**
 * Bridges the Pulumi engine's configuration to the pure settings parser. Kept apart from
 * settings/ so the parser can be tested without the Pulumi runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseSettings, type Settings } from "./settings";

/** Reads this stack's configuration once and returns the validated settings (or throws). */
export function loadSettings(): Settings {
    return parseSettings(pulumi.runtime.allConfig(), pulumi.getStack());
}
