/**
 * Read-only access to the cluster's Kubernetes API for the preflight. By default the kubeconfig is
 * built from DescribeCluster with `aws eks get-token` exec auth, so it reaches exactly the stack's
 * cluster with the caller's AWS identity and needs no local kubeconfig; `--kubeconfig` and
 * `--context` replace it, and tests inject one pointing at a local server.
 */
import { STATUS_CODES } from "http";
import type * as k8s from "@kubernetes/client-node";
import { eksKubeconfig } from "../../components/platform/kubeconfig";
import { errorCode, errorSummary, networkErrorCodes } from "./aws-errors";
import { fail, skip, type CheckResult } from "./result";

let client: Promise<typeof k8s> | undefined;

/**
 * The Kubernetes client, loaded on first use. It is an ES module: Node's own import() loads it in
 * about a third of the time a require() through tsx's ES-module-to-CommonJS transform takes.
 */
export function kubernetesClient(): Promise<typeof k8s> {
    return (client ??= import("@kubernetes/client-node"));
}

/** What DescribeCluster tells about reaching the cluster's API server. */
export interface ClusterEndpoint {
    readonly name: string;
    readonly arn: string;
    readonly region: string;
    readonly endpoint?: string;
    /** Base64 PEM of the cluster CA, as DescribeCluster returns it. */
    readonly certificateAuthority?: string;
}

/**
 * A kubeconfig for the stack's cluster that authenticates as the caller's AWS identity: the same
 * one the program's Kubernetes provider builds, so the preflight checks the path `pulumi up` takes.
 */
export async function kubeConfigForCluster(cluster: ClusterEndpoint): Promise<k8s.KubeConfig> {
    const kubeConfig = new (await kubernetesClient()).KubeConfig();
    kubeConfig.loadFromString(
        eksKubeconfig({ name: cluster.name, arn: cluster.arn, region: cluster.region, endpoint: cluster.endpoint ?? "", certificateAuthorityData: cluster.certificateAuthority ?? "" }),
    );
    return kubeConfig;
}

/** A kubeconfig from a file (or the default locations), optionally switched to another context. */
export async function kubeConfigFromFile(file: string | undefined, context: string | undefined): Promise<k8s.KubeConfig> {
    const kubeConfig = new (await kubernetesClient()).KubeConfig();
    if (file) kubeConfig.loadFromFile(file);
    else kubeConfig.loadFromDefault();
    if (context) {
        if (!kubeConfig.getContextObject(context)) throw new Error(`the kubeconfig has no context '${context}'`);
        kubeConfig.setCurrentContext(context);
    }
    return kubeConfig;
}

/** The reason a Kubernetes call failed, phrased for one output line. */
export class KubernetesError extends Error {
    constructor(
        message: string,
        /** Nothing answered: every further call would fail the same way. */
        readonly unreachable: boolean,
        readonly status?: number,
    ) {
        super(message);
        this.name = "KubernetesError";
    }
}

/** The message of a Kubernetes Status body, if the body is one. */
function statusMessage(body: unknown): string | undefined {
    try {
        const status = (typeof body === "string" ? JSON.parse(body) : body) as { message?: unknown } | null;
        return typeof status?.message === "string" ? status.message : undefined;
    } catch {
        return undefined;
    }
}

async function describeFailure(error: unknown, timeoutMs: number): Promise<KubernetesError> {
    if (error instanceof KubernetesError) return error;
    if (error instanceof (await kubernetesClient()).ApiException) {
        const status = `HTTP ${error.code} ${STATUS_CODES[error.code] ?? ""}`.trim();
        const detail = statusMessage(error.body);
        return new KubernetesError(detail ? `${status}: ${detail}` : status, false, error.code);
    }
    const code = errorCode(error);
    if (code === "TimeoutError") return new KubernetesError(`no answer within ${timeoutMs / 1000} s`, true);
    if (networkErrorCodes.has(code)) return new KubernetesError(`${code} (${errorSummary(error)})`, true);
    return new KubernetesError(errorSummary(error), false);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { name: "TimeoutError" })), timeoutMs);
        timer.unref();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resource attributes of one SelfSubjectAccessReview. */
export interface Permission {
    readonly verb: string;
    readonly group: string;
    readonly resource: string;
}

/**
 * The few reads the checks make. Reads of named objects return undefined for 404, so a missing
 * controller or driver is an answer, not an error; every other failure is a KubernetesError.
 */
export class ClusterApi {
    constructor(
        readonly kubeConfig: k8s.KubeConfig,
        private readonly timeoutMs = 10_000,
    ) {}

    /** The API server this kubeconfig points at. */
    get server(): string {
        return this.kubeConfig.getCurrentCluster()?.server ?? "(no server in the kubeconfig)";
    }

    private async call<T>(request: () => Promise<T>): Promise<T> {
        try {
            return await withTimeout(request(), this.timeoutMs);
        } catch (error) {
            throw await describeFailure(error, this.timeoutMs);
        }
    }

    private async read<T>(request: () => Promise<T>): Promise<T | undefined> {
        try {
            return await this.call(request);
        } catch (error) {
            if (error instanceof KubernetesError && error.status === 404) return undefined;
            throw error;
        }
    }

    /** Runs the kubeconfig's credential plugin (aws eks get-token) once, so its failure is reported as such. */
    async authenticate(): Promise<void> {
        try {
            await withTimeout(this.kubeConfig.applyToFetchOptions({}), Math.max(this.timeoutMs, 30_000));
        } catch (error) {
            const code = errorCode(error);
            if (code === "ENOENT") throw new KubernetesError("the AWS CLI (aws) is not installed or not on PATH", false);
            throw new KubernetesError(errorSummary(error) || "the credential plugin failed", false);
        }
    }

    async version(): Promise<string> {
        const { VersionApi } = await kubernetesClient();
        const info = await this.call(() => this.kubeConfig.makeApiClient(VersionApi).getCode());
        return info.gitVersion;
    }

    async allowed(permission: Permission): Promise<boolean> {
        const { AuthorizationV1Api } = await kubernetesClient();
        const review = await this.call(() =>
            this.kubeConfig.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
                body: {
                    apiVersion: "authorization.k8s.io/v1",
                    kind: "SelfSubjectAccessReview",
                    spec: { resourceAttributes: { ...permission } },
                },
            }),
        );
        return review.status?.allowed === true;
    }

    async deployment(namespace: string, name: string): Promise<k8s.V1Deployment | undefined> {
        const { AppsV1Api } = await kubernetesClient();
        return this.read(() => this.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name }));
    }

    async daemonSet(namespace: string, name: string): Promise<k8s.V1DaemonSet | undefined> {
        const { AppsV1Api } = await kubernetesClient();
        return this.read(() => this.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDaemonSet({ namespace, name }));
    }

    async configMap(namespace: string, name: string): Promise<k8s.V1ConfigMap | undefined> {
        const { CoreV1Api } = await kubernetesClient();
        return this.read(() => this.kubeConfig.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace, name }));
    }

    async csiDriver(name: string): Promise<k8s.V1CSIDriver | undefined> {
        const { StorageV1Api } = await kubernetesClient();
        return this.read(() => this.kubeConfig.makeApiClient(StorageV1Api).readCSIDriver({ name }));
    }

    async storageClass(name: string): Promise<k8s.V1StorageClass | undefined> {
        const { StorageV1Api } = await kubernetesClient();
        return this.read(() => this.kubeConfig.makeApiClient(StorageV1Api).readStorageClass({ name }));
    }
}

/** The API for the in-cluster checks, or why they cannot run (reported once by the API check). */
export type KubernetesAccess = { readonly api: ClusterApi } | { readonly unavailable: string };

/**
 * Runs a check that reads the Kubernetes API: skipped when the API is unavailable, failed with the
 * API's answer when a read goes wrong (a 403 says which permission is missing).
 */
export async function inCluster(check: string, access: KubernetesAccess, run: (api: ClusterApi) => Promise<CheckResult>): Promise<CheckResult> {
    if ("unavailable" in access) return skip(check, access.unavailable);
    try {
        return await run(access.api);
    } catch (error) {
        if (!(error instanceof KubernetesError)) throw error;
        if (error.status === 403) {
            return fail(check, `the Kubernetes API refused the read (${error.message})`, "give the deploying identity cluster-wide read access (AmazonEKSClusterAdminPolicy on its access entry covers it)");
        }
        return fail(check, `the Kubernetes API read failed (${error.message})`, "rerun; if it persists, make the same read with kubectl to see the full error");
    }
}
