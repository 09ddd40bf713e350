// One editor per query type, behind one table: the shell (QueryEditor.tsx) picks the type and hands the query
// to that type's editor. A new query type is one editor component and one entry here.
import type { ComponentType } from 'react';
import type { QueryType } from '../../types';
import { AgreementEditor } from './AgreementEditor';
import { CalibrationEditor } from './CalibrationEditor';
import { CatalogEditor } from './CatalogEditor';
import type { TypeEditorProps } from './common';
import { DriftEditor } from './DriftEditor';
import { EventsEditor } from './EventsEditor';
import { HealthEditor } from './HealthEditor';
import { StatusEditor } from './StatusEditor';
import { TimeseriesEditor } from './TimeseriesEditor';

export interface QueryTypeEditor {
  label: string;
  description: string;
  Editor: ComponentType<TypeEditorProps>;
}

export const QUERY_EDITORS: Record<QueryType, QueryTypeEditor> = {
  timeseries: {
    label: 'Time series',
    description: 'Curves of runs: one series per run and metric',
    Editor: TimeseriesEditor,
  },
  calibration: {
    label: 'Calibration',
    description: 'Reliability of a model: ECE, Brier score and bins',
    Editor: CalibrationEditor,
  },
  drift: {
    label: 'Drift',
    description: 'Feature drift between two sample sources: PSI, KS, Jensen-Shannon',
    Editor: DriftEditor,
  },
  agreement: {
    label: 'Agreement',
    description: "Inter-annotator agreement: Krippendorff's alpha, Fleiss' and Cohen's kappa",
    Editor: AgreementEditor,
  },
  events: {
    label: 'Events',
    description: 'Pipeline events (checkpoints, rollouts, incidents) as a table',
    Editor: EventsEditor,
  },
  catalog: {
    label: 'Catalog',
    description: 'The names the service knows: runs, metrics, models, ...',
    Editor: CatalogEditor,
  },
  status: { label: 'Status', description: 'The state of each pipeline phase', Editor: StatusEditor },
  health: {
    label: 'Training health',
    description: 'Signals of one training run: reward hacking, entropy collapse, ...',
    Editor: HealthEditor,
  },
};
