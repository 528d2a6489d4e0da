/**
 * Every connection a Tempo pod opens, read from `tempo.yaml` as tempoConfig() renders it; Tempo's
 * NetworkPolicy egress is derived from this list. All components of a distributed install share
 * the one file, so the list is the union of what any of them dials.
 *
 * Behaviour behind each entry (grafana/tempo docs/sources/tempo/configuration/manifest.md, dskit):
 *  - storage.trace.s3: HTTPS to `endpoint`; without access_key/secret_key the AWS SDK's default
 *    chain fetches credentials (EKS Pod Identity here);
 *  - ingest.kafka.address: the seed broker; the client then dials every broker the cluster's
 *    metadata lists, on the same listener (MSK brokers share the port);
 *  - querier.frontend_worker.frontend_address, backend_worker.backend_scheduler_addr: gRPC;
 *  - memberlist.join_members: gossip, TCP only (dskit kv/memberlist/tcp_transport.go sends
 *    memberlist's "packets" over TCP too, so no UDP);
 *  - live_store_client, backend_scheduler_client: gRPC to ring members, which register their pod
 *    address and server.grpc_listen_port; the ring's members are the memberlist members.
 * Loopback addresses (monolithic mode) never leave the pod.
 */
import type { TempoConfig } from "./config";
import { tempoInternalServices, tempoServiceHost } from "./config";
import { awsCredentials, destination, distinctDestinations, hostPort, type Destination } from "../platform/destinations";

/** Every host and port Tempo with this configuration connects to. */
export function tempoDestinations(config: TempoConfig): Destination[] {
    const s3 = config.storage.trace.s3;
    const staticKeys = ["access_key", "secret_key"].some((key) => key in s3);
    const grpcPort = config.server.grpc_listen_port;
    if (grpcPort === undefined) throw new Error("server.grpc_listen_port is unset; ring members could not be reached");
    const ringMembers = tempoServiceHost(tempoInternalServices.memberlist);
    return distinctDestinations([
        destination(s3.endpoint, s3.insecure ? 80 : 443, "storage.trace.s3.endpoint"),
        ...(staticKeys ? [] : [awsCredentials("storage.trace.s3")]),
        ...(config.ingest ? [hostPort(config.ingest.kafka.address, "ingest.kafka.address (and every broker its metadata lists)")] : []),
        hostPort(config.querier.frontend_worker.frontend_address, "querier.frontend_worker.frontend_address"),
        hostPort(config.backend_worker.backend_scheduler_addr, "backend_worker.backend_scheduler_addr"),
        ...(config.memberlist.join_members ?? []).map((member) => hostPort(member, "memberlist.join_members")),
        destination(ringMembers, grpcPort, "live_store_client, backend_scheduler_client (ring members on server.grpc_listen_port)"),
    ]);
}
