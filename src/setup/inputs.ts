// Names shared by the generator (dashboards/src/app.ts) and the setup page: the import inputs of the dashboards
// the app ships and the placeholder the alert rules carry until the setup page names the Prometheus data source.

export const APP_ID = 'humain-rlhfmonitor-app';
export const RLHF_DS_TYPE = 'humain-rlhf-datasource';
export const PROMETHEUS_DS_TYPE = 'prometheus';

/** `__inputs` names: Grafana's dashboard import replaces `${NAME}` in every string with the input's value. */
export const DS_INPUTS = { rlhf: 'DS_RLHF', prometheus: 'DS_PROMETHEUS' } as const;

export const placeholder = (input: string) => `\${${input}}`;

/** The folder setup puts dashboards and rules in unless the admin picks another: the provisioned dashboards' one. */
export const DEFAULT_FOLDER = 'RLHF Pipeline';
