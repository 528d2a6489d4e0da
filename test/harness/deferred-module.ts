/**
 * A module-cache stand-in that loads the real module on first use: for what a dependency requires
 * at load but this program never uses (see lazy-typescript.ts). Property reads and `in` go to the
 * real module, so nothing changes for code that does use it.
 */
import Module = require("module");

/** Puts a stand-in for the module at `file` (a resolved path) into the require cache. */
export function deferModule(file: string): { readonly loaded: () => boolean } {
    let real: object | undefined;
    const load = (): object => {
        if (!real) {
            const standIn = require.cache[file];
            delete require.cache[file];
            try {
                real = require(file) as object;
            } finally {
                if (standIn) require.cache[file] = standIn;
            }
        }
        return real;
    };
    const standIn = new Module(file);
    standIn.filename = file;
    standIn.loaded = true;
    standIn.exports = new Proxy({}, { get: (_, key) => Reflect.get(load(), key), has: (_, key) => Reflect.has(load(), key) });
    require.cache[file] = standIn;
    return { loaded: () => real !== undefined };
}
