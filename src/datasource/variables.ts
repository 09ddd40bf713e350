import { CustomVariableSupport, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { from, type Observable } from 'rxjs';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { migrateVariableQuery } from './migration';
import type { RlhfQuery } from './types';

/**
 * Template variables are catalog targets (`{type: "catalog", of: "runs"}`), run like any other target; Grafana
 * takes the values from the catalog frame's `value` field. Older dashboards saved the variable query as a string
 * or as `{of, run}`: they are migrated first.
 */
export class RlhfVariableSupport extends CustomVariableSupport<DataSource, RlhfQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  getDefaultQuery(): Partial<RlhfQuery> {
    return migrateVariableQuery('runs');
  }

  query(request: DataQueryRequest<RlhfQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.map((t) => ({ ...migrateVariableQuery(t), refId: t.refId ?? 'variable' }));
    return from(this.datasource.query({ ...request, targets }));
  }
}
