/** The `ini` package (a dependency of @pulumi/pulumi) ships no types; the tests use only parse. Dotted section names nest. */
declare module "ini" {
    export function parse(text: string): Record<string, any>;
}
