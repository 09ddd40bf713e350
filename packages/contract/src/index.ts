// The wire contract of the RLHF Pipeline Monitor, imported by package name from the service (server/), the
// Grafana plugin (src/), the dashboard generator (dashboards/) and the tests. Pure: no I/O, no Node APIs.
export * from './stats/calibration';
export * from './stats/drift';
export * from './stats/special';
export * from './stats/sort';
export * from './phases';
export * from './records';
export * from './queries';
export * from './frames';
export * from './thresholds';
export * from './fields';
