import React, { type ReactNode } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, type BadgeColor, Stack, Text, useStyles2 } from '@grafana/ui';

export type Phase = 'todo' | 'busy' | 'done' | 'failed' | 'blocked';

/** What a step shows about itself: its phase, a one-line result and what to do next when it is not done. */
export interface StepStatus {
  phase: Phase;
  message?: string;
  hint?: string;
}

const BADGES: Record<Phase, { text: string; color: BadgeColor }> = {
  todo: { text: 'To do', color: 'blue' },
  busy: { text: 'Working…', color: 'blue' },
  done: { text: 'Done', color: 'green' },
  failed: { text: 'Failed', color: 'red' },
  blocked: { text: 'Waiting', color: 'orange' },
};

const SEVERITY = { done: 'success', failed: 'error', blocked: 'warning', todo: 'info', busy: 'info' } as const;

export function Step(props: { id: string; n: number; title: string; status: StepStatus; children: ReactNode }) {
  const styles = useStyles2(getStyles);
  const { phase, message, hint } = props.status;
  const badge = BADGES[phase];
  return (
    <section
      className={styles.step}
      data-testid={`setup-step-${props.id}`}
      data-phase={phase}
      aria-labelledby={`setup-${props.id}-title`}
    >
      <Stack direction="column" gap={2}>
        <Stack direction="row" alignItems="center" gap={1}>
          <Text element="h3" id={`setup-${props.id}-title`}>
            {`${props.n}. ${props.title}`}
          </Text>
          <Badge text={badge.text} color={badge.color} />
        </Stack>
        {props.children}
        {message && (
          <div data-testid={`setup-status-${props.id}`} role="status">
            <Alert title={message} severity={SEVERITY[phase]} bottomSpacing={0}>
              {hint}
            </Alert>
          </div>
        )}
      </Stack>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  step: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    padding: theme.spacing(2),
    maxWidth: 880,
  }),
});
