// pod: the composition core
export * from './pod/sidecar-mode';
export * from './pod/pattern';
export * from './pod/pod-resources';
export * from './pod/secure-defaults';
export * from './pod/root-opt-in';
export * from './pod/resource-preset';
export * from './pod/pod-security-exception';
export * from './pod/app-labels';

// workloads: the stateless / stateful / node-agent / task distinction
export * from './workloads/workload-base';
export * from './workloads/writable-path';
export * from './workloads/disruption-budget';
export * from './workloads/stateless-service';
export * from './dependencies/endpoint';
export * from './patterns/default-images';
export * from './patterns/ambassador-options';
export * from './patterns/ambassador';
export * from './patterns/http-adapter';
export * from './patterns/exporter-adapter';
export * from './patterns/custom-container-props';
export * from './patterns/init-step';
export * from './patterns/artifact-init';
export * from './patterns/wait-for';
export * from './patterns/sidecar';
export * from './patterns/log-destination';
export * from './patterns/log-collector';
export * from './workloads/volume-claim-template';
export * from './workloads/stateful-service-props';
export * from './workloads/stateful-service';
export * from './workloads/node-agent';
export * from './workloads/batch-task';
export * from './workloads/pod-failure-policy';
export * from './dependencies/external-service';
export * from './dependencies/secret-ref';
export * from './config/app-config';
export * from './config/env-config';
export * from './config/mounted-config';
export * from './patterns/config-reloader';
export * from './policy/policy-types';
export * from './policy/policy-report';
export * from './workloads/network-policy';

// diagram: pictures of the Pods, drawn from the construct tree
export * from './diagram/pod-diagrams';
