/**
 * What the environment's trail records, and the role CloudTrail uses to copy events into
 * CloudWatch Logs (where metric filters and alarms can watch for failed and sensitive calls).
 */
import { policyDocument, s3BucketArn, type PolicyDocument } from "../platform/iam-policy";

export interface FieldSelector {
    readonly field: string;
    readonly equals?: string[];
    readonly startsWiths?: string[];
}

export interface AdvancedEventSelector {
    readonly name: string;
    readonly fieldSelectors: FieldSelector[];
}

/**
 * Management events, read and write (no readOnly selector), and S3 data events, read and write,
 * for the objects of the trace bucket only: every access to trace data, allowed or denied, is
 * recorded, without paying for data events of every bucket in the account.
 */
export function trailEventSelectors(traceBucketName: string): AdvancedEventSelector[] {
    return [
        { name: "Management events (read and write)", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
        {
            name: "Trace bucket object reads and writes",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                { field: "resources.ARN", startsWiths: [`${s3BucketArn(traceBucketName)}/`] },
            ],
        },
    ];
}

export interface TrailLogsRoleArgs {
    readonly accountId: string;
    /** ARN of the trail that may assume the role. */
    readonly trailArn: string;
}

/** Only this environment's trail may assume the delivery role. */
export function trailLogsTrustPolicy(args: TrailLogsRoleArgs): PolicyDocument {
    return policyDocument([
        {
            Sid: "CloudTrailOfThisTrail",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceArn": args.trailArn, "aws:SourceAccount": args.accountId } },
        },
    ]);
}

/** Create streams and put events in the trail's own log group, nothing else. */
export function trailLogsDeliveryPolicy(trailLogGroupArn: string): PolicyDocument {
    return policyDocument([
        {
            Sid: "DeliverTrailEventsToLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${trailLogGroupArn}:log-stream:*`,
        },
    ]);
}
