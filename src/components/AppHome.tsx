import React from 'react';
import { locationUtil, type AppRootProps } from '@grafana/data';
import { Card, Stack, Text } from '@grafana/ui';

/** The provisioned dashboards (dashboards/*.json), in pipeline order. */
export const DASHBOARDS = [
  {
    uid: 'rlhf-overview',
    title: 'Pipeline overview',
    description: 'State of all four phases, open incidents, latest events.',
  },
  {
    uid: 'rlhf-data',
    title: '1 Data collection',
    description: 'Ingestion and rejects, annotator agreement, dataset distributions.',
  },
  {
    uid: 'rlhf-training',
    title: '2 Training',
    description: 'Progress and ETA, loss/reward/KL/entropy, failure signals, GPU use.',
  },
  {
    uid: 'rlhf-evaluation',
    title: '3 Evaluation',
    description: 'Accuracy and win rate per checkpoint, calibration, drift.',
  },
  {
    uid: 'rlhf-deployment',
    title: '4 Deployment',
    description: 'Serving status per version, latency, errors, production drift.',
  },
];

/** App root page: where to go next. */
export function AppHome(_props: AppRootProps) {
  return (
    <Stack direction="column" gap={2}>
      <Text element="h2">RLHF Pipeline Monitor</Text>
      <Text color="secondary">
        One dashboard per phase of the pipeline. Data come from the RLHF Monitor data source (the metrics service).
      </Text>
      <Stack direction="column" gap={1}>
        {DASHBOARDS.map((d) => (
          <Card key={d.uid} href={locationUtil.assureBaseUrl(`/d/${d.uid}`)}>
            <Card.Heading>{d.title}</Card.Heading>
            <Card.Description>{d.description}</Card.Description>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
