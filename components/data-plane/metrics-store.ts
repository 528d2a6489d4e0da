import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { retainedChild, type LogGroupOwnerArgs } from "./base-args";
import { EncryptedLogGroup } from "./log-group";

export interface MetricsStoreArgs extends LogGroupOwnerArgs {
    /** Workspace alias (awsResourceNames().metricsWorkspace). */
    readonly workspaceAlias: string;
    /** Log group of the workspace's vended logs (awsResourceNames().metricsLogGroup). */
    readonly logGroupName: string;
    /** Key encrypting the metrics (the trace key: span metrics are derived from trace data). */
    readonly metricsKeyArn: pulumi.Input<string>;
    /** Key encrypting the workspace's log group (the audit key). */
    readonly logKeyArn: pulumi.Input<string>;
}

/**
 * Amazon Managed Service for Prometheus workspace holding the span metrics (RED metrics the
 * gateways compute before tail sampling, so they count every request, not only the kept traces).
 * Encrypted with a customer managed key; its rule-evaluation and ingestion logs go to a log group
 * encrypted with the audit key.
 */
export class MetricsStore extends pulumi.ComponentResource {
    public readonly workspace: aws.amp.Workspace;
    public readonly workspaceId: pulumi.Output<string>;
    public readonly workspaceArn: pulumi.Output<string>;
    /** Base URL of the workspace's Prometheus API (ends with a slash). */
    public readonly prometheusEndpoint: pulumi.Output<string>;
    /** Where the gateways remote-write (SigV4, service `aps`). */
    public readonly remoteWriteUrl: pulumi.Output<string>;
    /** Log group of the workspace's rule-evaluation and ingestion logs. */
    public readonly logGroup: EncryptedLogGroup;

    constructor(name: string, args: MetricsStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:aws:MetricsStore", name, args, opts);
        this.logGroup = new EncryptedLogGroup(
            `${name}-logs`,
            { logGroupName: args.logGroupName, keyArn: args.logKeyArn, retentionDays: args.logRetentionDays, retain: args.retain },
            { parent: this },
        );
        this.workspace = new aws.amp.Workspace(
            `${name}-workspace`,
            {
                alias: args.workspaceAlias,
                kmsKeyArn: args.metricsKeyArn,
                loggingConfiguration: { logGroupArn: this.logGroup.logGroupDeliveryArn },
            },
            retainedChild(this, args.retain),
        );

        this.workspaceId = this.workspace.id;
        this.workspaceArn = this.workspace.arn;
        this.prometheusEndpoint = this.workspace.prometheusEndpoint;
        this.remoteWriteUrl = pulumi.interpolate`${this.workspace.prometheusEndpoint}api/v1/remote_write`;
        this.registerOutputs({
            workspaceId: this.workspaceId,
            workspaceArn: this.workspaceArn,
            prometheusEndpoint: this.prometheusEndpoint,
            remoteWriteUrl: this.remoteWriteUrl,
            logGroupArn: this.logGroup.logGroupArn,
        });
    }
}
