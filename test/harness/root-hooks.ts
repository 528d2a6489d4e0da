/** Mocha root hooks: start recording the shipped stacks before any test asks for them. */
import { prefetchStackRecordings } from "./program";

export const mochaHooks = {
    beforeAll(): void {
        prefetchStackRecordings();
    },
};
