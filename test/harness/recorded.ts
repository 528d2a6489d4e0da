/** Small lookups over a stack recording shared by the program tests. */
import { createHash } from "crypto";
import { tlsSecrets } from "../../components/platform/names";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { byUrn, kubernetesObjects, type RecordedResource, type StackRecording } from "./program";

/** The validated settings the recorded program ran with. */
export function settingsOf(recording: StackRecording): Settings {
    return parseSettings(recording.config, recording.stack);
}

/** Resources an input property of `resource` was built from (Pulumi property dependencies). */
export function dependenciesOf(recording: StackRecording, resource: RecordedResource, property: string): RecordedResource[] {
    return (resource.propertyDependencies[property] ?? []).map((urn) => {
        const found = byUrn(recording, urn);
        if (!found) throw new Error(`${resource.name}.${property} depends on ${urn}, which the recording does not hold`);
        return found;
    });
}

/** The single resource of `type` an input property was built from. */
export function dependencyOfType(recording: StackRecording, resource: RecordedResource, property: string, type: string): RecordedResource {
    const matches = dependenciesOf(recording, resource, property).filter((r) => r.type === type);
    if (matches.length !== 1) {
        throw new Error(`expected ${resource.name}.${property} to come from one ${type}, found ${matches.map((m) => m.name).join(", ") || "none"}`);
    }
    return matches[0];
}

/**
 * Name of the stack's StorageClass, after checking it is the only one the stack creates and that it
 * has EBS encrypt volumes with the stack's trace key (kmsKeyId computed from that aws.kms.Key).
 */
export function encryptedStorageClassName(recording: StackRecording): string {
    const classes = kubernetesObjects(recording, "storage.k8s.io/v1", "StorageClass");
    if (classes.length !== 1) throw new Error(`expected the stack to create one StorageClass, found ${classes.length}`);
    const [storageClass] = classes;
    const key = dependencyOfType(recording, storageClass, "parameters", "aws:kms/key:Key");
    const { encrypted, kmsKeyId } = storageClass.inputs.parameters ?? {};
    if (key.name !== "tracing-trace" || encrypted !== "true" || !kmsKeyId) {
        throw new Error(`StorageClass ${storageClass.inputs.metadata.name} does not encrypt with the trace key (encrypted ${encrypted}, key ${key.name})`);
    }
    return storageClass.inputs.metadata.name;
}

/** True when the input property (or a parent of it) was a Pulumi secret. */
export function isSecretInput(resource: RecordedResource, property: string): boolean {
    return resource.secretPaths.some((path) => path === property || path.startsWith(`${property}.`) || property.startsWith(`${path}.`));
}

/** A kubernetes-models class: builds an object and validates it against the Kubernetes schema. */
type KubernetesModel = new (data: any) => { validate(): void };

/** Validates every recorded object of a kind against the Kubernetes OpenAPI schema; returns how many. */
export function validateKubernetesObjects(recording: StackRecording, apiVersion: string, kind: string, Model: KubernetesModel): number {
    const objects = kubernetesObjects(recording, apiVersion, kind);
    for (const object of objects) {
        const { metadata, ...rest } = object.inputs;
        try {
            new Model({ ...rest, metadata }).validate();
        } catch (error) {
            throw new Error(`${kind} ${metadata?.namespace}/${metadata?.name} is not a valid Kubernetes object: ${(error as Error).message}`);
        }
    }
    return objects.length;
}

/**
 * The tls-hash a workload's pod template must carry: SHA-256 over the platform CA bundle (the
 * ca.crt every namespace's bundle Secret holds) and the named certificates' tls.crt, NUL-separated,
 * as recorded in the Secrets the workload mounts.
 */
export function expectedTlsHash(recording: StackRecording, ...certificateSecrets: { readonly name: string; readonly namespace: string }[]): string {
    const secrets = kubernetesObjects(recording, "core/v1", "Secret");
    const bundles = new Set(secrets.filter((s) => s.inputs.metadata.name === tlsSecrets.caBundle).map((s) => s.inputs.stringData["ca.crt"] as string));
    if (bundles.size !== 1) throw new Error(`expected one CA bundle in every namespace, found ${bundles.size} different ones`);
    const certificates = certificateSecrets.map(({ name, namespace }) => {
        const secret = secrets.find((s) => s.inputs.metadata.name === name && s.inputs.metadata.namespace === namespace);
        if (!secret) throw new Error(`no Secret ${namespace}/${name}`);
        return secret.inputs.stringData["tls.crt"] as string;
    });
    return createHash("sha256").update([...bundles, ...certificates].join("\0")).digest("hex");
}

/** Where each AWS type the program names carries its physical name (buckets, aliases, roles, log groups, trails, topics, workspaces, repositories). */
const physicalNameInputs: Readonly<Record<string, string>> = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:kms/alias:Alias": "name",
    "aws:iam/role:Role": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:cloudtrail/trail:Trail": "name",
    "aws:sns/topic:Topic": "name",
    "aws:amp/workspace:Workspace": "alias",
    "aws:ecr/repository:Repository": "name",
};

/** The physical names the program gives the AWS resources it creates: what two environments must never share. */
export function awsPhysicalNames(resources: readonly { readonly type: string; readonly inputs: Record<string, any> }[]): string[] {
    return resources.flatMap((r) => {
        const input = physicalNameInputs[r.type];
        return input && typeof r.inputs[input] === "string" ? [r.inputs[input] as string] : [];
    });
}
