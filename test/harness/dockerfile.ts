/**
 * The platform's Dockerfiles as a builder reads them: parsed by dockerfile-ast (instructions with
 * their flags and arguments, split into build stages), linted by dockerfile-utils (unknown
 * instructions and flags, missing arguments), and `${NAME}` references expanded with build args the
 * way BuildKit substitutes ARGs (Dockerfile reference, "ARG" and "Environment replacement").
 */
import * as fs from "fs";
import * as path from "path";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { projectRoot } from "./stack-config";

export interface DockerInstruction {
    readonly keyword: string;
    /** `--name=value` flags (null value for a bare `--name`). */
    readonly flags: Readonly<Record<string, string | null>>;
    readonly args: readonly string[];
    /** Everything after the keyword and flags, continuation lines joined. */
    readonly content: string;
}

export interface DockerStage {
    /** The FROM image as written (before ARG expansion). */
    readonly from: string;
    /** `AS <name>`, when the stage has one. */
    readonly name?: string;
    readonly instructions: readonly DockerInstruction[];
}

export interface ParsedDockerfile {
    /** ARGs declared before the first FROM (the only ones a FROM may use), with their defaults. */
    readonly globalArgs: Readonly<Record<string, string | undefined>>;
    readonly stages: readonly DockerStage[];
    /** Linter findings; a buildable Dockerfile has none. */
    readonly problems: readonly string[];
}

/** Folders under images/ that hold a Dockerfile, relative to the project root (as the program names build contexts). */
export function imageContexts(): string[] {
    const root = path.join(projectRoot, "images");
    return fs
        .readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, entry.name, "Dockerfile")))
        .map((entry) => `images/${entry.name}`)
        .sort();
}

/** `ARG NAME[=default]` as [name, default]. */
function argDeclaration(declaration: string): [string, string | undefined] {
    const [name, ...value] = declaration.split("=");
    return [name, value.length > 0 ? value.join("=") : undefined];
}

function flagsOf(instruction: Instruction): Record<string, string | null> {
    const withFlags = instruction as Instruction & { getFlags?: () => { getName(): string; getValue(): string | null }[] };
    return Object.fromEntries((withFlags.getFlags?.() ?? []).map((flag) => [flag.getName(), flag.getValue()]));
}

/** Reads and parses `<context>/Dockerfile` (context relative to the project root). */
export function readDockerfile(context: string): ParsedDockerfile {
    const text = fs.readFileSync(path.join(projectRoot, context, "Dockerfile"), "utf8");
    const dockerfile = DockerfileParser.parse(text);
    const globalArgs: Record<string, string | undefined> = {};
    const stages: { from: string; name?: string; instructions: DockerInstruction[] }[] = [];
    for (const instruction of dockerfile.getInstructions()) {
        const keyword = instruction.getKeyword();
        const args = instruction.getArguments().map((a) => a.getValue());
        const flags = flagsOf(instruction);
        const flagText = new RegExp(`^(\\s*--\\S+\\s+){${Object.keys(flags).length}}`);
        const content = (instruction.getArgumentsContent() ?? "").replace(flagText, "").replace(/\\\n/g, " ").trim();
        if (keyword === "FROM") {
            const name = args[1]?.toUpperCase() === "AS" ? args[2] : undefined;
            stages.push({ from: args[0], ...(name ? { name } : {}), instructions: [] });
        } else if (stages.length === 0) {
            if (keyword !== "ARG") throw new Error(`${context}/Dockerfile: ${keyword} before the first FROM`);
            const [argName, value] = argDeclaration(args[0]);
            globalArgs[argName] = value;
        } else {
            stages[stages.length - 1].instructions.push({ keyword, flags, args, content });
        }
    }
    return { globalArgs, stages, problems: validate(text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`) };
}

/** Substitutes `${NAME}` and `$NAME` from `values`; a reference without a value is an error (it would expand to ""). */
export function expandArgs(text: string, values: Readonly<Record<string, string>>): string {
    return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced: string | undefined, bare: string | undefined) => {
        const name = (braced ?? bare)!;
        if (!(name in values)) throw new Error(`\${${name}} has no value`);
        return values[name];
    });
}

/** ARG names a stage declares (with their defaults), the ones its instructions may expand. */
export function stageArgs(stage: DockerStage): Record<string, string | undefined> {
    return Object.fromEntries(stage.instructions.filter((i) => i.keyword === "ARG").map((i) => argDeclaration(i.args[0])));
}
