/**
 * Mocha global fixtures: the main process starts recording the shipped stacks before any worker
 * runs a test file, and removes the recordings when the run ends.
 */
import { removeSharedRecordings, startSharedRecordings } from "./program";

export function mochaGlobalSetup(): void {
    startSharedRecordings();
}

export function mochaGlobalTeardown(): void {
    removeSharedRecordings();
}
