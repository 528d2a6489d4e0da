/**
 * The shape every `npm run <script>` command shares: a function from arguments and an output to an
 * exit code, so tests call the command in their own process and read what it printed, and one
 * entry point that binds it to the real process when the file is run as a script.
 */

/** Where a command writes: `out` for its report, `err` for usage and errors; each call is one line or block. */
export interface Output {
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
}

/** A command: parses its arguments, does its work, returns the process exit code. */
export type Command = (args: readonly string[], output: Output) => number | Promise<number>;

/** Runs `command` with the process's arguments, printing to stdout/stderr; an uncaught error exits `errorCode`. */
export function runAsScript(command: Command, describeError: (error: unknown) => string = errorMessage, errorCode = 1): void {
    const output: Output = { out: (text) => console.log(text), err: (text) => console.error(text) };
    Promise.resolve()
        .then(() => command(process.argv.slice(2), output))
        .then(
            (code) => process.exit(code),
            (error) => {
                console.error(describeError(error));
                process.exit(errorCode);
            },
        );
}

/** An error's message, or the thrown value itself. */
export function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** An output that keeps what a command printed, for tests and for callers that print it themselves. */
export function capturedOutput(): Output & { readonly stdout: () => string; readonly stderr: () => string } {
    const out: string[] = [];
    const err: string[] = [];
    return {
        out: (text) => out.push(`${text}\n`),
        err: (text) => err.push(`${text}\n`),
        stdout: () => out.join(""),
        stderr: () => err.join(""),
    };
}
