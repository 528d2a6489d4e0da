/** PKI: the platform CA, the VPN CA and the leaf certificates every TLS endpoint presents. */
export { PlatformPki, type PlatformPkiArgs, type IssuedCertificate } from "./certificates";
export { CertificateExpiryAlarm, type CertificateExpiryAlarmArgs } from "./expiry-alarm";
export { vpnServerAlarmDays } from "./rotation";
