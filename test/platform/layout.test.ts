/**
 * The layout the project keeps (issue: one folder per concern): every source file short enough to
 * read, folders that depend one way (platform on none, nothing on a folder that depends back), the
 * root program wiring only the folders' index modules, and no import of @pulumi/aws's root module,
 * which would make the type checker parse every AWS service on each `npm test`.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../harness/stack-config";

const maxLines = 400;
const sourceFolders = ["components", "policies", "scripts", "test"];
const concerns = fs.readdirSync(path.join(projectRoot, "components")).filter((entry) => fs.statSync(path.join(projectRoot, "components", entry)).isDirectory());

function sourceFiles(relative: string): string[] {
    const absolute = path.join(projectRoot, relative);
    if (fs.statSync(absolute).isFile()) return relative.endsWith(".ts") ? [relative] : [];
    return fs.readdirSync(absolute).flatMap((entry) => (entry === "node_modules" ? [] : sourceFiles(path.join(relative, entry))));
}

const files = ["index.ts", ...sourceFolders.flatMap(sourceFiles)];

interface ImportSite {
    readonly specifier: string;
    /** Erased by the compiler: `import type`, or a name list of types only. */
    readonly typeOnly: boolean;
}

/** Every module a file imports or re-exports (`from` clauses, bare imports, `require`, `import()`). */
function importSites(file: string): ImportSite[] {
    const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
    const allTypes = (clause: string) => {
        const names = /^\{([^}]*)\}\s*$/.exec(clause.trim())?.[1];
        return names !== undefined && names.split(",").map((n) => n.trim()).filter(Boolean).every((n) => n.startsWith("type "));
    };
    const fromClauses = [...text.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;]*?)\bfrom\s+"([^"]+)"/gm)].map(([, typeKeyword, clause, specifier]) => ({
        specifier,
        typeOnly: typeKeyword !== undefined || allTypes(clause),
    }));
    const loads = [...text.matchAll(/^\s*import\s+"([^"]+)"/gm), ...text.matchAll(/\brequire\("([^"]+)"\)/g), ...text.matchAll(/\bimport\("([^"]+)"\)/g)];
    return [...fromClauses, ...loads.map((m) => ({ specifier: m[1], typeOnly: false }))];
}

/** Modules a file uses at run time or for types (both tie the folders together). */
const specifiers = (file: string) => importSites(file).map((site) => site.specifier);

/** Modules a file loads at run time. */
const runtimeSpecifiers = (file: string) => importSites(file).filter((site) => !site.typeOnly).map((site) => site.specifier);

/** The packages a source file reaches at run time through the project's own modules. */
function runtimePackages(start: string): Set<string> {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const pending = [start];
    while (pending.length > 0) {
        const file = pending.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const specifier of runtimeSpecifiers(file)) {
            if (!specifier.startsWith(".")) {
                packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);
                continue;
            }
            const base = path.relative(projectRoot, path.resolve(projectRoot, path.dirname(file), specifier));
            const resolved = [`${base}.ts`, path.join(base, "index.ts"), base].find((c) => fs.existsSync(path.join(projectRoot, c)) && fs.statSync(path.join(projectRoot, c)).isFile());
            if (resolved?.endsWith(".ts")) pending.push(resolved);
        }
    }
    return packages;
}

/** The component folder a relative import from `file` lands in, if any. */
function concernOf(file: string, specifier: string): string | undefined {
    if (!specifier.startsWith(".")) return undefined;
    const target = path.relative(path.join(projectRoot, "components"), path.resolve(path.join(projectRoot, path.dirname(file)), specifier));
    const [first] = target.split(path.sep);
    return !target.startsWith("..") && concerns.includes(first) ? first : undefined;
}

describe("layout", () => {
    it(`no source file over ${maxLines} lines`, () => {
        const long = files.filter((file) => fs.readFileSync(path.join(projectRoot, file), "utf8").split("\n").length > maxLines + 1);
        assert.deepEqual(long, []);
    });

    it("component folders depend one way: platform on none, and no two folders on each other", () => {
        const edges = new Map<string, Set<string>>(concerns.map((c) => [c, new Set<string>()]));
        for (const file of files.filter((f) => f.startsWith("components/"))) {
            const from = file.split("/")[1];
            for (const specifier of specifiers(file)) {
                const to = concernOf(file, specifier);
                if (to && to !== from) edges.get(from)!.add(to);
            }
        }
        assert.deepEqual([...edges.get("platform")!], [], "platform imports no other concern");
        // Depth-first search for a cycle; the path names it.
        const visiting: string[] = [];
        const done = new Set<string>();
        const visit = (concern: string): void => {
            if (done.has(concern)) return;
            assert.ok(!visiting.includes(concern), `import cycle: ${[...visiting.slice(visiting.indexOf(concern)), concern].join(" -> ")}`);
            visiting.push(concern);
            for (const next of edges.get(concern)!) visit(next);
            visiting.pop();
            done.add(concern);
        };
        concerns.forEach(visit);
    });

    it("the root program imports each concern through its index only", () => {
        const deep = specifiers("index.ts").filter((specifier) => {
            const to = concernOf("index.ts", specifier);
            return to !== undefined && path.resolve(projectRoot, specifier) !== path.join(projectRoot, "components", to);
        });
        assert.deepEqual(deep, []);
        assert.ok(specifiers("index.ts").some((s) => concernOf("index.ts", s) === "platform"), "the check reads the root program's imports");
    });

    it("nothing imports @pulumi/aws's root module (its declarations cover every AWS service)", () => {
        const offenders = files.filter((file) => specifiers(file).includes("@pulumi/aws"));
        assert.deepEqual(offenders, [], "import the service module through components/platform/aws.ts (or policies/rules/lib/aws.ts for types)");
    });

    it("no test file loads the Pulumi SDK or a provider (tests read recordings; only the recorder runs the program)", () => {
        const heavy = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/tls", "@pulumi/random", "@pulumi/docker-build"];
        const offenders = files
            .filter((file) => file.endsWith(".test.ts"))
            .flatMap((file) => {
                const reached = runtimePackages(file);
                return heavy.filter((p) => reached.has(p)).map((p) => `${file} -> ${p}`);
            });
        assert.deepEqual(offenders, []);
        assert.ok(runtimePackages("test/harness/record-stack.ts").has("@pulumi/pulumi"), "the walk follows imports into packages");
    });

    it("the checks above see the files they guard", () => {
        assert.ok(concerns.length >= 8, concerns.join(", "));
        assert.ok(files.includes("components/platform/aws.ts") && files.includes("test/platform/layout.test.ts"));
        assert.ok(specifiers("components/platform/aws.ts").includes("@pulumi/aws/s3"));
        assert.equal(concernOf("components/network/perimeter.ts", "../platform/aws"), "platform");
    });
});
