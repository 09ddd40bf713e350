import { AppPlugin } from '@grafana/data';
import { AppConfig } from './components/AppConfig/AppConfig';
import { AppHome } from './components/AppHome';
import { withPlayground } from './pages/Playground/PlaygroundRoute';

// The app is the installable unit: it carries the data source, the panels and the dashboards. Its home page says
// what is set up; its configuration page (admins) sets it up through Grafana's HTTP API.
export const plugin = new AppPlugin<{}>().setRootPage(withPlayground(AppHome)).addConfigPage({
  title: 'Setup',
  icon: 'cog',
  body: AppConfig,
  id: 'setup',
});
