import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { detections, type DetectionSource } from "./detections";

export interface SecurityAlarmsArgs {
    /** Environment name: metric namespace and alarm names carry it, so environments sharing an account stay apart. */
    readonly environment: string;
    /** The platform's bucket names (the bucket-policy filter watches these only). */
    readonly platformBucketNames: readonly string[];
    /** Log group each detection reads: the trail's, the Client VPN connection log, the workload log group. */
    readonly logGroupNames: Readonly<Record<DetectionSource, pulumi.Input<string>>>;
    /** SNS topic the alarms notify (the alert topic, whose policy admits CloudWatch alarms of this account). */
    readonly alertTopicArn: pulumi.Input<string>;
}

/** Five-minute periods, as the CIS benchmark's alarms use. */
const periodSeconds = 300;

/**
 * CloudWatch Logs metric filters and alarms on suspicious activity (see detections.ts): each filter
 * counts matching events into a metric of the environment's security namespace, and each alarm
 * notifies the alert topic when a period reaches its threshold. Periods without events are
 * missing data, not a breach, so a quiet platform stays in OK.
 */
export class SecurityAlarms extends pulumi.ComponentResource {
    public readonly alarms: aws.cloudwatch.MetricAlarm[];
    public readonly namespace: string;

    constructor(name: string, args: SecurityAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:aws:SecurityAlarms", name, {}, opts);
        this.namespace = `Tracing/Security/${args.environment}`;
        this.alarms = detections(args.platformBucketNames).map((detection) => {
            const filter = new aws.cloudwatch.LogMetricFilter(
                `${name}-${detection.metric}`,
                {
                    name: `${detection.metric}-${args.environment}`,
                    logGroupName: args.logGroupNames[detection.source],
                    pattern: detection.pattern,
                    metricTransformation: { name: detection.metric, namespace: this.namespace, value: "1" },
                },
                { parent: this },
            );
            return new aws.cloudwatch.MetricAlarm(
                `${name}-${detection.metric}`,
                {
                    name: `tracing-${args.environment}-${detection.metric}`,
                    alarmDescription: `${args.environment}: ${detection.description}`,
                    namespace: this.namespace,
                    metricName: detection.metric,
                    statistic: "Sum",
                    period: periodSeconds,
                    evaluationPeriods: 1,
                    threshold: detection.threshold,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    treatMissingData: "notBreaching",
                    actionsEnabled: true,
                    alarmActions: [args.alertTopicArn],
                },
                { parent: this, dependsOn: [filter] },
            );
        });
        this.registerOutputs({ namespace: this.namespace });
    }
}
