/** What the data-plane components are given alike: the environment they live in, and whether prod keeps their data. */
import type * as pulumi from "@pulumi/pulumi";
import type { AwsResourceNames } from "../platform/names";

/** A component whose resources hold data that must survive a mistaken delete in prod. */
export interface RetainableArgs {
    /** Protect what holds data from deletion and keep it if removed from the program (prod). */
    readonly retain: boolean;
}

/** A component that places and names its resources in the environment's account and region. */
export interface EnvironmentArgs {
    /** The environment's AWS account. */
    readonly accountId: string;
    /** The environment's AWS region. */
    readonly region: string;
    /** The environment's AWS resource names, its own and those its policies name. */
    readonly names: AwsResourceNames;
}

/** A component that writes to a log group of its own (an EncryptedLogGroup). */
export interface LogGroupOwnerArgs extends RetainableArgs {
    /** Retention of the component's log group in days (a CloudWatch retention value). */
    readonly logRetentionDays: number;
}

/** Options of a resource that holds data: a child of `parent`, protected and kept on delete when `retain` (prod). */
export function retainedChild(parent: pulumi.Resource, retain: boolean): pulumi.CustomResourceOptions {
    return { parent, protect: retain, retainOnDelete: retain };
}
