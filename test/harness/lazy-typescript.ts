/**
 * Imported by the recorder before @pulumi/pulumi: the SDK requires the TypeScript compiler at load
 * (typescript-shim.js), for serialising JavaScript closures into function-based resources, which
 * this program has none of. Loading it costs about 0.6 s of every recording; a stand-in loads the
 * real compiler on first use instead, so nothing changes if it is used.
 */
import { deferModule } from "./deferred-module";

deferModule(require.resolve("typescript"));
