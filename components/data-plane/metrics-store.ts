import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptedLogGroup } from "./log-group";

export interface MetricsStoreArgs {
    /** Workspace alias (awsResourceNames().metricsWorkspace). */
    readonly workspaceAlias: string;
    /** Log group of the workspace's vended logs (awsResourceNames().metricsLogGroup). */
    readonly logGroupName: string;
    /** Key encrypting the metrics (the trace key: span metrics are derived from trace data). */
    readonly metricsKeyArn: pulumi.Input<string>;
    /** Key encrypting the workspace's log group (the audit key). */
    readonly logKeyArn: pulumi.Input<string>;
    /** Retention of the log group in days (a CloudWatch retention value). */
    readonly logRetentionDays: number;
    /** Protect workspace and log group from deletion and keep them if removed from the program (prod). */
    readonly retain: boolean;
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
    public readonly logGroupArn: pulumi.Output<string>;

    constructor(name: string, args: MetricsStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:aws:MetricsStore", name, args, opts);
        const logs = new EncryptedLogGroup(
            `${name}-logs`,
            { logGroupName: args.logGroupName, keyArn: args.logKeyArn, retentionDays: args.logRetentionDays, retain: args.retain },
            { parent: this },
        );
        this.workspace = new aws.amp.Workspace(
            `${name}-workspace`,
            {
                alias: args.workspaceAlias,
                kmsKeyArn: args.metricsKeyArn,
                loggingConfiguration: { logGroupArn: logs.logGroupDeliveryArn },
            },
            { parent: this, protect: args.retain, retainOnDelete: args.retain },
        );

        this.workspaceId = this.workspace.id;
        this.workspaceArn = this.workspace.arn;
        this.prometheusEndpoint = this.workspace.prometheusEndpoint;
        this.remoteWriteUrl = pulumi.interpolate`${this.workspace.prometheusEndpoint}api/v1/remote_write`;
        this.logGroupArn = logs.logGroupArn;
        this.registerOutputs({
            workspaceId: this.workspaceId,
            workspaceArn: this.workspaceArn,
            prometheusEndpoint: this.prometheusEndpoint,
            remoteWriteUrl: this.remoteWriteUrl,
            logGroupArn: this.logGroupArn,
        });
    }
}
