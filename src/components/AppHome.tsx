// The app's home page: what is set up (data source answering, dashboards installed, alert rules present), the
// next step for what is not, and the dashboards that exist. Links only to what is there.
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { locationUtil, type AppRootProps, type GrafanaTheme2 } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Icon, LinkButton, LoadingPlaceholder, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { DASHBOARDS, type DashboardKey } from '../../dashboards/src/links';
import { failure, listAlertRules, searchDashboards } from '../setup/api';
import { APP_ID } from '../setup/inputs';
import { findRlhf, RULE_UIDS, setupOf, testDataSource } from '../setup/setup';

const DESCRIPTIONS: Record<DashboardKey, string> = {
  overview: 'State of all four phases, open incidents, latest events.',
  data: 'Ingestion and rejects, annotator agreement, dataset distributions.',
  training: 'Progress and ETA, loss/reward/KL/entropy, failure signals, GPU use.',
  evaluation: 'Accuracy and win rate per checkpoint, calibration, drift.',
  deployment: 'Serving status per version, latency, errors, production drift.',
};

export const SETUP_URL = `/plugins/${APP_ID}?page=setup`;

type Check = { ok: boolean | undefined; message: string };

interface HomeState {
  datasource: Check;
  /** Uids of the pipeline dashboards that exist in this Grafana. */
  dashboards: Set<string>;
  rules: Check;
}

async function checkDataSource(savedUid?: string): Promise<Check> {
  const settings = await findRlhf(savedUid);
  if (!settings) {
    return { ok: false, message: 'There is no RLHF Monitor data source yet.' };
  }
  try {
    const r = await testDataSource(settings.uid);
    return { ok: r.status === 'success', message: `${settings.name}: ${r.message}` };
  } catch (e) {
    return { ok: false, message: `${settings.name}: ${failure(e).message}` };
  }
}

async function checkRules(): Promise<Check> {
  try {
    const ours = (await listAlertRules()).filter((r) => RULE_UIDS.includes(r.uid));
    return ours.length === RULE_UIDS.length
      ? { ok: true, message: `All ${RULE_UIDS.length} alert rules are in place.` }
      : { ok: false, message: `${ours.length} of ${RULE_UIDS.length} alert rules exist.` };
  } catch (e) {
    const f = failure(e);
    // Reading provisioned rules needs alert.provisioning:read, which only admins have.
    return f.status === 403
      ? { ok: undefined, message: 'Only an admin can see whether the alert rules are installed.' }
      : { ok: undefined, message: `Could not read the alert rules: ${f.message}` };
  }
}

async function loadState(jsonData: unknown): Promise<HomeState> {
  const uids = Object.values(DASHBOARDS).map((d) => d.uid);
  const [datasource, hits, rules] = await Promise.all([
    checkDataSource(setupOf(jsonData).datasourceUid),
    searchDashboards(uids).catch(() => []),
    checkRules(),
  ]);
  return { datasource, dashboards: new Set(hits.map((h) => h.uid)), rules };
}

function StatusRow(props: { id: string; label: string; check: Check; next?: string }) {
  const styles = useStyles2(getStyles);
  const { ok, message } = props.check;
  return (
    <li className={styles.row} data-testid={`home-${props.id}`} data-ok={String(ok)}>
      <Icon
        name={ok ? 'check-circle' : ok === false ? 'exclamation-triangle' : 'question-circle'}
        className={ok ? styles.ok : ok === false ? styles.bad : styles.unknown}
        aria-hidden
      />
      <Stack direction="column" gap={0}>
        <Text weight="medium">{props.label}</Text>
        <Text color="secondary">{message}</Text>
        {!ok && props.next && <Text>{props.next}</Text>}
      </Stack>
    </li>
  );
}

/** A dashboard of the pipeline: a link when it is installed, a plain entry saying so when it is not. */
function DashboardItem(props: { uid: string; title: string; description: string; href?: string }) {
  const styles = useStyles2(getStyles);
  const body = (
    <Stack direction="row" justifyContent="space-between" alignItems="center">
      <Stack direction="column" gap={0.5}>
        <Text weight="medium" color={props.href ? 'link' : 'primary'}>
          {props.title}
        </Text>
        <Text color="secondary">{props.description}</Text>
      </Stack>
      {!props.href && <Text color="secondary">Not installed</Text>}
    </Stack>
  );
  return (
    <li className={styles.item} data-testid={`home-card-${props.uid}`}>
      {props.href ? (
        <a href={props.href} className={styles.itemLink}>
          {body}
        </a>
      ) : (
        <div className={styles.itemBody}>{body}</div>
      )}
    </li>
  );
}

export function AppHome({ meta }: AppRootProps) {
  const styles = useStyles2(getStyles);
  const [state, setState] = useState<HomeState>();
  const jsonData = meta?.jsonData;
  const user = config.bootData?.user;
  const admin = user?.orgRole === 'Admin' || Boolean(user?.isGrafanaAdmin);

  useEffect(() => {
    let live = true;
    loadState(jsonData).then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, [jsonData]);

  const setupLink = locationUtil.assureBaseUrl(SETUP_URL);
  const next = (what: string) =>
    admin ? `Next: ${what} on the setup page.` : `Ask a Grafana admin to ${what} on this app’s setup page.`;

  if (!state) {
    return <LoadingPlaceholder text="Checking the data source, dashboards and alert rules…" />;
  }
  const all = Object.values(DASHBOARDS);
  const missing = all.filter((d) => !state.dashboards.has(d.uid));
  const dashboardsCheck: Check = {
    ok: missing.length === 0,
    message:
      missing.length === 0
        ? `All ${all.length} dashboards are installed.`
        : `${all.length - missing.length} of ${all.length} dashboards are installed.`,
  };
  const allGood = state.datasource.ok && dashboardsCheck.ok && state.rules.ok !== false;

  return (
    <Stack direction="column" gap={3}>
      <Stack direction="column" gap={1}>
        <Text element="h2">RLHF Pipeline Monitor</Text>
        <Text color="secondary">
          One dashboard per phase of the pipeline, fed by the RLHF Monitor data source (the metrics service).
        </Text>
      </Stack>

      <section aria-labelledby="home-status-title" className={styles.panel}>
        <Stack direction="column" gap={2}>
          <Text element="h3" id="home-status-title">
            Setup
          </Text>
          <ul className={styles.list}>
            <StatusRow
              id="datasource"
              label="Data source"
              check={state.datasource}
              next={next('connect the metrics service (URL and API key)')}
            />
            <StatusRow
              id="dashboards"
              label="Dashboards"
              check={dashboardsCheck}
              next={next('import the dashboards')}
            />
            <StatusRow id="rules" label="Alert rules" check={state.rules} next={next('create the alert rules')} />
          </ul>
          {admin && !allGood && (
            <div>
              <LinkButton href={setupLink} icon="cog">
                Open the setup page
              </LinkButton>
            </div>
          )}
        </Stack>
      </section>

      <Stack direction="column" gap={1}>
        <Text element="h3">Dashboards</Text>
        <ul className={styles.list} aria-label="Pipeline dashboards">
          {(Object.keys(DASHBOARDS) as DashboardKey[]).map((key) => {
            const d = DASHBOARDS[key];
            const there = state.dashboards.has(d.uid);
            return (
              <DashboardItem
                key={d.uid}
                uid={d.uid}
                title={d.title.replace('RLHF · ', '')}
                description={DESCRIPTIONS[key]}
                href={there ? locationUtil.assureBaseUrl(`/d/${d.uid}`) : undefined}
              />
            );
          })}
        </ul>
        {missing.length > 0 && admin && (
          <Text color="secondary">
            Dashboards that are not installed have no link yet:{' '}
            <TextLink href={setupLink}>import them on the setup page</TextLink>.
          </Text>
        )}
      </Stack>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    padding: theme.spacing(2),
  }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
  }),
  row: css({ display: 'flex', gap: theme.spacing(1.5), alignItems: 'flex-start' }),
  ok: css({ color: theme.colors.success.text, marginTop: 2 }),
  bad: css({ color: theme.colors.warning.text, marginTop: 2 }),
  unknown: css({ color: theme.colors.text.secondary, marginTop: 2 }),
  item: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
  itemBody: css({ display: 'block', padding: theme.spacing(1.5, 2) }),
  itemLink: css({
    display: 'block',
    textDecoration: 'none',
    padding: theme.spacing(1.5, 2),
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 2 },
  }),
});
