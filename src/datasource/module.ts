import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import type { RlhfOptions, RlhfQuery, RlhfSecureOptions } from './types';

// Template variables and annotations bring their own editors (DataSource.variables, DataSource.annotations).
export const plugin = new DataSourcePlugin<DataSource, RlhfQuery, RlhfOptions, RlhfSecureOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
