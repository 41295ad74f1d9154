// pod: the composition core
export * from './pod/sidecar-mode';
export * from './pod/pattern';
export * from './pod/pod-resources';
export { SecureDefaults } from './pod/secure-defaults';

// workloads: the stateless / stateful / node-agent / task distinction
export * from './workloads/workload-base';
export * from './workloads/disruption-budget';
export * from './workloads/stateless-service';
export * from './dependencies/endpoint';
