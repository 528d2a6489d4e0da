/** Data plane: keys, buckets, audit trail, security alarms, metrics workspace, alert topic, workload identities and the encrypted StorageClass. */
export { AccessLogBucket, type AccessLogBucketArgs } from "./access-log-bucket";
export { AlertTopic, type AlertTopicArgs } from "./alert-topic";
export { AuditBucket, type AuditBucketArgs } from "./audit-bucket";
export { AuditTrail, type AuditTrailArgs } from "./audit-trail";
export { auditObjectLockMode } from "./bucket-lifecycle";
export { detections, securityMetrics, type Detection, type DetectionSource } from "./detections";
export { PlatformKeys, type PlatformKeysArgs } from "./keys";
export { EncryptedLogGroup, type EncryptedLogGroupArgs } from "./log-group";
export { MetricsStore, type MetricsStoreArgs } from "./metrics-store";
export { SecurityAlarms, type SecurityAlarmsArgs } from "./security-alarms";
export { EncryptedStorageClass, type EncryptedStorageClassArgs } from "./storage-class";
export { TraceBucket, type TraceBucketArgs } from "./trace-bucket";
export { WorkloadIdentities, type WorkloadIdentitiesArgs } from "./workload-identities";
