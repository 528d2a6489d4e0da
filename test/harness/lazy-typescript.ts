/**
 * Imported by the recorder before @pulumi/pulumi: the SDK requires the TypeScript compiler at load
 * (typescript-shim.js), for serialising JavaScript closures into function-based resources, which
 * this program has none of. Loading it costs about 0.6 s of every recording; this puts a stand-in
 * in the module cache that loads the real compiler on first use, so nothing changes if it is used.
 */
import Module = require("module");

const file = require.resolve("typescript");
let compiler: object | undefined;

function real(): object {
    if (!compiler) {
        const standIn = require.cache[file];
        delete require.cache[file];
        try {
            compiler = require(file) as object;
        } finally {
            if (standIn) require.cache[file] = standIn;
        }
    }
    return compiler;
}

const standIn = new Module(file);
standIn.filename = file;
standIn.loaded = true;
standIn.exports = new Proxy({}, { get: (_, key) => Reflect.get(real(), key), has: (_, key) => Reflect.has(real(), key) });
require.cache[file] = standIn;

/** Whether anything has used the compiler yet (for the harness's own test). */
export function typescriptLoaded(): boolean {
    return compiler !== undefined;
}
