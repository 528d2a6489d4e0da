/**
 * Rules over the configuration files ConfigMaps carry (collector and Tempo YAML, grafana.ini): each
 * file is judged parsed, and messages name it by its ConfigMap and data key.
 */
import type { RuleArea, RuleDefinition } from "../types";
import { rulesFor, type ResourceRuleSpec } from "./define";
import { objectLabel } from "./kubernetes";

export const configMapTypes: readonly string[] = ["kubernetes:core/v1:ConfigMap"];

/** The config files `select` finds in a ConfigMap, each with how messages name it. */
export function configFiles<D>(props: Record<string, any>, name: string, select: (props: Record<string, any>) => { key: string; document: D }[]): { where: string; document: D }[] {
    return select(props).map(({ key, document }) => ({ where: `ConfigMap '${objectLabel(props, name)}' file '${key}'`, document }));
}

export type ConfigFileRuleSpec<D> = Omit<ResourceRuleSpec<{}>, "controls" | "appliesTo" | "validate"> & {
    readonly check: (document: D, where: string, report: (message: string) => void) => void;
};

/**
 * The builder of `area`'s rules over one kind of config file (`files` picks them out of a
 * ConfigMap): a rule's `check` sees each parsed file and how messages name it. No public control
 * covers these files.
 */
export function configFileRules<D>(area: RuleArea, files: (props: Record<string, any>) => { key: string; document: D }[]): (spec: ConfigFileRuleSpec<D>) => RuleDefinition {
    const { resourceRule } = rulesFor(area);
    return ({ check, ...header }) =>
        resourceRule({
            ...header,
            controls: [],
            appliesTo: configMapTypes,
            validate: ({ name, props }, report) => {
                for (const { where, document } of configFiles(props, name, files)) check(document, where, report);
            },
        });
}
