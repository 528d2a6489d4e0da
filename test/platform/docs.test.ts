import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../harness/stack-config";

const readmePath = path.join(projectRoot, "README.md");
const docsDir = path.join(projectRoot, "docs");
const readme = fs.readFileSync(readmePath, "utf8");
const docFiles = fs.readdirSync(docsDir).filter((f) => f.endsWith(".md")).sort();
const documents: [string, string][] = [
    ["README.md", readme],
    ...docFiles.map((f): [string, string] => [`docs/${f}`, fs.readFileSync(path.join(docsDir, f), "utf8")]),
];

/** Markdown link targets that are not URLs or in-page anchors. */
function relativeLinks(markdown: string): string[] {
    return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith("#"));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    let fenced = false;
    for (const line of markdown.split("\n")) {
        if (line.trimStart().startsWith("```")) fenced = !fenced;
        const heading = fenced ? undefined : /^#{1,6} (.*)$/.exec(line)?.[1];
        if (heading) anchors.add(heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-"));
    }
    return anchors;
}

/** Repository paths a document names, outside URLs; placeholders such as `<env>` cannot be checked. */
function repositoryPaths(markdown: string): string[] {
    const found = markdown.matchAll(/(?<![\w./-])(?:components|policies|test|scripts|docs|\.github|\.ci)\/[\w./<>*-]*/g);
    return [...new Set([...found].map((m) => m[0].replace(/[.,]+$/, "")))].filter((p) => !/[<*]/.test(p));
}

describe("README and docs/", () => {
    it("README.md is a front door of at most 250 lines", () => {
        const lines = readme.endsWith("\n") ? readme.slice(0, -1).split("\n") : readme.split("\n");
        assert.ok(lines.length <= 250, `README.md has ${lines.length} lines`);
    });

    it("every docs/ link in the README resolves to a file, and every doc is linked", () => {
        const linked = relativeLinks(readme).filter((t) => t.startsWith("docs/")).map((t) => t.split("#")[0]);
        assert.ok(linked.length > 0, "README.md links into docs/");
        for (const target of linked) assert.ok(fs.statSync(path.join(projectRoot, target), { throwIfNoEntry: false })?.isFile(), `README.md links to missing ${target}`);
        assert.deepEqual([...new Set(linked)].sort(), docFiles.map((f) => `docs/${f}`), "the README's documentation map lists exactly the files in docs/");
    });

    for (const [name, markdown] of documents) {
        it(`${name}: relative links resolve to files and headings`, () => {
            for (const target of relativeLinks(markdown)) {
                const [file, anchor] = target.split("#");
                const resolved = path.resolve(path.dirname(path.join(projectRoot, name)), file);
                assert.ok(fs.existsSync(resolved), `${name} links to missing ${target}`);
                if (anchor) assert.ok(anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor), `${name} links to missing heading ${target}`);
            }
        });

        it(`${name}: every repository path it names exists`, () => {
            for (const named of repositoryPaths(markdown)) assert.ok(fs.existsSync(path.join(projectRoot, named)), `${name} names ${named}, which does not exist`);
        });
    }

    for (const file of docFiles) {
        it(`docs/${file} opens with a title and a one-paragraph purpose`, () => {
            const [title, blank, firstLine] = fs.readFileSync(path.join(docsDir, file), "utf8").split("\n");
            assert.match(title, /^# \S/, `docs/${file} starts with a level-1 title`);
            assert.equal(blank, "");
            assert.match(firstLine, /^[A-Z][^|]*$/, `docs/${file} follows its title with a prose paragraph`);
        });
    }
});
