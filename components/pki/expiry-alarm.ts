import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";

export interface CertificateExpiryAlarmArgs {
    /** Environment name, part of the alarm's name. */
    readonly environment: string;
    /** What the certificate is for (`vpn-server`), part of the alarm's name. */
    readonly certificate: string;
    /** ARN of the certificate imported into ACM. */
    readonly certificateArn: pulumi.Input<string>;
    /** The platform's alert topic; the alarm notifies it when it fires and when it clears. */
    readonly topicArn: pulumi.Input<string>;
    /** Alarm when fewer days than this remain (rotation.ts vpnServerAlarmDays): the renewal was missed. */
    readonly thresholdDays: number;
}

/** ACM's metric of how many days an imported certificate has left (AWS/CertificateManager DaysToExpiry). */
export const daysToExpiryMetric = { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry" } as const;

/**
 * Makes a certificate that missed its renewal visible before it expires. ACM never renews an
 * imported certificate, so nothing but the scheduled `pulumi up` replaces it; if that stops
 * happening, this alarm tells the alert topic's mailbox while there are still days left.
 *
 * ACM publishes DaysToExpiry once a day and stops after expiry. A missing day keeps the alarm where
 * it is, so once it has fired it stays in alarm after the certificate has expired.
 */
export class CertificateExpiryAlarm extends pulumi.ComponentResource {
    public readonly alarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: CertificateExpiryAlarmArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:pki:CertificateExpiryAlarm", name, args, opts);
        this.alarm = new aws.cloudwatch.MetricAlarm(
            `${name}-expiry`,
            {
                name: `tracing-${args.environment}-${args.certificate}-certificate-expiry`,
                alarmDescription:
                    `The ${args.certificate} certificate imported into ACM has fewer than ${args.thresholdDays} days left: ` +
                    "the scheduled deploy should have renewed it by now. Run the deploy workflow; see docs/operations.md, Rotate certificates.",
                ...daysToExpiryMetric,
                dimensions: { CertificateArn: args.certificateArn },
                statistic: "Minimum",
                period: 86400,
                evaluationPeriods: 1,
                comparisonOperator: "LessThanThreshold",
                threshold: args.thresholdDays,
                treatMissingData: "missing",
                alarmActions: [args.topicArn],
                okActions: [args.topicArn],
            },
            { parent: this },
        );
        this.registerOutputs({ alarmArn: this.alarm.arn });
    }
}
