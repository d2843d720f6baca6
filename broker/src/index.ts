// @urgence/broker: the registry, the MQTT broker and (from the ingest) the alarm path.
export * from './registry/index';
