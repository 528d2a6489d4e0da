import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, kubernetesObject } from "./helpers";

describe("policies: Kubernetes Helm", () => {
    const service = (rs: EditableResource[]) => kubernetesObject(rs, "Service", "grafana");
    const release = (rs: EditableResource[], type: string, inputs: Record<string, unknown>) =>
        rs.push({ ...structuredClone(service(rs)), urn: `${service(rs).urn}-${type}`, type, name: "grafana-chart", inputs });
    describeRule("kubernetes-helm-releases-not-used", [
        {
            title: "a helm.sh/v3 Release",
            change: (rs) => release(rs, "kubernetes:helm.sh/v3:Release", { chart: "grafana", version: "8.0.0" }),
            expect: ["'grafana-chart' is a helm.sh/v3 Release, whose objects no policy can check; declare typed resources instead."],
        },
        {
            title: "a v4 Chart with a version range from plain HTTP",
            change: (rs) => release(rs, "kubernetes:helm.sh/v4:Chart", { chart: "grafana", version: "^8.0.0", repositoryOpts: { repo: "http://charts.example.com" } }),
            expect: ["chart 'grafana-chart' does not pin an exact version (got '^8.0.0').", "chart 'grafana-chart' comes from 'http://charts.example.com', not an HTTPS or OCI repository."],
        },
        {
            title: "compliant: a v4 Chart pinned exactly from HTTPS",
            change: (rs) => release(rs, "kubernetes:helm.sh/v4:Chart", { chart: "grafana", version: "8.0.0", repositoryOpts: { repo: "https://grafana.github.io/helm-charts" } }),
            expect: [],
        },
    ]);
});
