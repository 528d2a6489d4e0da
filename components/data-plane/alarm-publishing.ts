/** What the alert topic and its key admit of CloudWatch alarms, so both policies agree. */
import type { PolicyConditions } from "../platform/iam-policy";

/** CloudWatch's service principal, which publishes alarm notifications. */
export const cloudWatchService = "cloudwatch.amazonaws.com";

/** Alarms of this account and region only (the confused-deputy guard CloudWatch's SNS publishing supports). */
export function alarmSourceArns(region: string, accountId: string): PolicyConditions {
    return {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:*` },
    };
}
