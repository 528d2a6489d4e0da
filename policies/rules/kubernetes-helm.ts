/**
 * Helm: Kubernetes objects are declared so the pack can see them, never installed by embedded Helm;
 * a helm.sh/v4 Chart (whose objects the pack does see) pins an exact version from a trusted repository.
 */
import { rulesFor } from "./lib/define";
import { kubernetesTypes, metadataOf } from "./lib/kubernetes";
import { addSibling, mutation, pick } from "./lib/mutate";
import { isSet } from "./lib/values";
import type { RuleDefinition } from "./types";

const { resourceRule } = rulesFor("kubernetes-helm");

const exactChartVersion = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

const helmChartsVisible = resourceRule({
    name: "kubernetes-helm-releases-not-used",
    description:
        "Kubernetes objects are declared so policies can see them: no helm.sh/v3 Release (its manifests are installed by " +
        "embedded Helm, invisible to every rule here), and any helm.sh/v4 Chart pins an exact version from an HTTPS or OCI " +
        "repository. Fix: declare typed @pulumi/kubernetes resources (or a v4 Chart with an exact version).",
    severity: "medium",
    securityRule: 5,
    controls: [],
    appliesTo: [...kubernetesTypes.helmRelease, ...kubernetesTypes.helmChart],
    validate: ({ type, name, props }, report) => {
        if (kubernetesTypes.helmRelease.includes(type)) {
            report(`'${name}' is a helm.sh/v3 Release, whose objects no policy can check; declare typed resources instead.`);
            return;
        }
        if (!isSet(props.version) || !exactChartVersion.test(props.version)) report(`chart '${name}' does not pin an exact version (got '${props.version ?? ""}').`);
        const repo = props.repositoryOpts?.repo;
        if (isSet(repo) && !/^(https|oci):\/\//.test(repo)) report(`chart '${name}' comes from '${repo}', not an HTTPS or OCI repository.`);
    },
    violate: mutation("install a chart with a helm.sh/v3 Release", (resources) => {
        const sibling = pick(resources, kubernetesTypes.namespace, "namespace");
        addSibling(resources, sibling, kubernetesTypes.helmRelease[0], "mutated-release", {
            chart: "grafana",
            version: "8.0.0",
            namespace: metadataOf(sibling.inputs).name ?? "mutated",
            repositoryOpts: { repo: "https://grafana.github.io/helm-charts" },
        });
    }),
});

export const kubernetesHelmRules: readonly RuleDefinition[] = [helmChartsVisible];
