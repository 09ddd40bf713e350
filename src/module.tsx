import { AppPlugin } from '@grafana/data';
import { AppHome } from './components/AppHome';

// The app is the installable unit: it carries the data source and the panels as nested plugins,
// and its root page points to the provisioned dashboards.
export const plugin = new AppPlugin<{}>().setRootPage(AppHome);
