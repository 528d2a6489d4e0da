/**
 * Which side resources configure which bucket, and which buckets play the audit-sink roles
 * (CloudTrail destination, access-log target). Links go through `propertyDependencies` (URN
 * identity); a literal bucket name is compared only when both sides state it explicitly. Rules
 * over one bucket setting (encryption, versioning...) are built with `bucketSettingRules`.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { RuleArea, RuleDefinition } from "../types";
import { awsTypes } from "./aws-types";
import { rulesFor, type StackContext, type StackRuleSpec } from "./define";
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

/** URNs of the buckets holding audit records (CloudTrail's destination, access-log targets). */
export function auditBucketUrns(view: StackView): Set<string> {
    return new Set([...trailDestinations(view), ...accessLogTargets(view)].map((b) => b.urn));
}

type Report = (message: string, urn?: string) => void;

/** What the checks of a bucket-setting rule see: the stack, its config and the bucket at hand. */
export interface BucketContext<C> extends StackContext<C> {
    readonly bucket: PolicyResource;
}

export type BucketSettingRuleSpec<C> = Omit<StackRuleSpec<C>, "appliesTo" | "validate"> & {
    /** Resource types whose presence makes the rule applicable; buckets by default. */
    readonly appliesTo?: readonly string[];
    /** The side-resource types that hold the setting (v7 configures buckets through them). */
    readonly setting: readonly string[];
    /** What a bucket without such a side resource lacks, and how to add it, for its message. */
    readonly missing: string;
    /** The buckets the rule covers; every bucket by default. */
    readonly buckets?: (stack: StackContext<C>) => PolicyResource[];
    /** A check of each covered bucket itself, whatever side resources it has. */
    readonly checkBucket?: (context: BucketContext<C>, report: Report) => void;
    /** The check of each side resource holding the setting for a covered bucket. */
    readonly check: (context: BucketContext<C>, setting: PolicyResource, report: Report) => void;
};

/**
 * The builder of `area`'s rules over one bucket setting: every covered bucket must have a side
 * resource holding it (one without is reported), and each such side resource is checked.
 */
export function bucketSettingRules(area: RuleArea): <C extends object = {}>(spec: BucketSettingRuleSpec<C>) => RuleDefinition {
    const { stackRule } = rulesFor(area);
    return ({ appliesTo = awsTypes.bucket, setting, missing, buckets, checkBucket, check, ...header }) =>
        stackRule({
            ...header,
            appliesTo,
            validate: (stack, report) => {
                const { view } = stack;
                const covered = buckets ? buckets(stack) : bucketsOf(view);
                if (checkBucket) view.each(covered, (bucket) => checkBucket({ ...stack, bucket }, report));
                view.each(covered, (bucket) => {
                    const settings = companionsOf(view, bucket, setting);
                    if (settings.length === 0) report(`${bucketLabel(bucket)} has no ${missing}.`, bucket.urn);
                    view.each(settings, (companion) => check({ ...stack, bucket }, companion, report));
                });
            },
        });
}
