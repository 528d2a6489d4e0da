/** Shape of a recorded program run, shared by the recorder (child process) and the tests. */

export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** False for component resources. */
    readonly custom: boolean;
    /** URN of the parent resource, if any. */
    readonly parent?: string;
    /** Provider reference (`<provider urn>::<id>`) for custom resources. */
    readonly provider?: string;
    /** Inputs as the program passed them, secrets unwrapped (their paths are in secretPaths). */
    readonly inputs: Record<string, any>;
    /** Dotted paths of inputs that were Pulumi secrets. */
    readonly secretPaths: readonly string[];
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly additionalSecretOutputs: readonly string[];
    /** The `replacementTrigger` option: a change from one update to the next replaces the resource. */
    readonly replacementTrigger?: unknown;
    /** URNs of the `replaceWith` option: replacing any of them replaces this resource too. */
    readonly replaceWith: readonly string[];
}

export interface StackRecording {
    readonly stack: string;
    readonly config: Readonly<Record<string, string>>;
    readonly resources: readonly RecordedResource[];
    /** Stack outputs; secret outputs are recorded as the string "[secret]", as the CLI shows them. */
    readonly outputs: Readonly<Record<string, unknown>>;
    /** The error the program threw, if it failed. */
    readonly error?: string;
}
