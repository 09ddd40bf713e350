import { AppPlugin } from '@grafana/data';

// The app is the installable unit: it carries the data source and the panels as nested plugins.
export const plugin = new AppPlugin<{}>();
