/** Tempo: the trace backend in either mode, and the MSK cluster distributed mode ingests through. */
export { Tempo, type TempoArgs, type TempoKafkaConnection } from "./backend";
export { TempoKafka, type TempoKafkaArgs } from "./kafka";
