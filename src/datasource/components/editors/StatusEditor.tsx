import React from 'react';
import { Text } from '@grafana/ui';

/** The pipeline's four phase states: nothing to choose. */
export function StatusEditor() {
  return (
    <Text color="secondary" element="p">
      One row per phase (data, training, evaluation, deployment): state, reason and last update. No options.
    </Text>
  );
}
