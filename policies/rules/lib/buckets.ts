/**
 * Which side resources configure which bucket, and which buckets play the audit-sink roles
 * (CloudTrail destination, access-log target). Links go through `propertyDependencies` (URN
 * identity); a literal bucket name is compared only when both sides state it explicitly.
 */
import type { PolicyResource } from "@pulumi/policy";
import { awsTypes } from "./aws-types";
import type { StackView } from "./stack-view";
import { ifKnown, isSet } from "./values";

/** True when `companion`'s `property` (default `bucket`) refers to `bucket`. */
export function refersToBucket(view: StackView, companion: PolicyResource, bucket: PolicyResource, property = "bucket"): boolean {
    if (view.dependsThrough(companion, property, bucket)) return true;
    const bucketName = ifKnown(() => bucket.props.bucket);
    const named = ifKnown(() => companion.props[property]);
    return bucketName.known && named.known && isSet(bucketName.value) && bucketName.value === named.value;
}

/** The side resources of `types` that configure `bucket`. */
export function companionsOf(view: StackView, bucket: PolicyResource, types: readonly string[], property = "bucket"): PolicyResource[] {
    return view.ofType(types).filter((companion) => refersToBucket(view, companion, bucket, property));
}

export function bucketsOf(view: StackView): PolicyResource[] {
    return view.ofType(awsTypes.bucket);
}

/** Buckets a CloudTrail trail in the stack delivers its log files to. */
export function trailDestinations(view: StackView): PolicyResource[] {
    const trails = view.ofType(awsTypes.trail);
    return bucketsOf(view).filter((bucket) => trails.some((trail) => refersToBucket(view, trail, bucket, "s3BucketName")));
}

/** Buckets that receive another bucket's server access logs. */
export function accessLogTargets(view: StackView): PolicyResource[] {
    const loggings = view.ofType(awsTypes.bucketLogging);
    return bucketsOf(view).filter((bucket) =>
        loggings.some((logging) => refersToBucket(view, logging, bucket, "targetBucket") && !refersToBucket(view, logging, bucket, "bucket")),
    );
}

/** `bucket 'name'`, for messages. */
export function bucketLabel(bucket: PolicyResource): string {
    const name = ifKnown(() => bucket.props.bucket);
    return name.known && isSet(name.value) ? `bucket '${bucket.name}' (${name.value})` : `bucket '${bucket.name}'`;
}

/** Checks each bucket's side resources of `types`, reporting buckets that have none. */
export function forEachBucketCompanion(
    view: StackView,
    types: readonly string[],
    missing: string,
    check: (bucket: PolicyResource, companion: PolicyResource) => void,
    report: (message: string, urn?: string) => void,
    buckets: readonly PolicyResource[] = bucketsOf(view),
): void {
    view.each(buckets, (bucket) => {
        const companions = companionsOf(view, bucket, types);
        if (companions.length === 0) report(`${bucketLabel(bucket)} has no ${missing}.`, bucket.urn);
        view.each(companions, (companion) => check(bucket, companion));
    });
}
