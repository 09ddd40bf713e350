import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { HUMAIN } from '../../panels/shared/palette';

// HUMAIN teal, at shades that keep WCAG AA contrast: on light backgrounds text and white-on-teal buttons use a
// darker teal than the brand colour (#1DB584 on white is 2.5:1); on dark backgrounds the brand teal carries
// dark text.
export function tealOn(theme: GrafanaTheme2) {
  return theme.isDark
    ? { text: HUMAIN.teal, fill: HUMAIN.teal, onFill: '#04251a', soft: 'rgba(29, 181, 132, 0.14)' }
    : { text: HUMAIN.tealDarkest, fill: '#0f7a55', onFill: '#ffffff', soft: HUMAIN.tealLightest };
}

export function playgroundStyles(theme: GrafanaTheme2) {
  const teal = tealOn(theme);
  const field = css({
    background: theme.components.input.background,
    color: theme.colors.text.primary,
    border: `1px solid ${theme.components.input.borderColor}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0.75, 1),
    fontSize: theme.typography.body.fontSize,
    fontFamily: theme.typography.fontFamily,
    '&:focus-visible': { outline: `2px solid ${teal.fill}`, outlineOffset: 1 },
  });
  return {
    page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), maxWidth: 1400 }),
    title: css({ color: teal.text, margin: 0 }),
    toolbar: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2), alignItems: 'flex-end' }),
    label: css({
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.5),
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
      fontWeight: theme.typography.fontWeightMedium,
    }),
    field,
    number: css(field, { width: 110 }),
    select: css(field, { minWidth: 260 }),
    textarea: css(field, { width: '100%', resize: 'vertical', minHeight: 64 }),
    turns: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
    prompt: css({
      alignSelf: 'flex-end',
      maxWidth: '75%',
      background: teal.soft,
      border: `1px solid ${theme.isDark ? 'rgba(29,181,132,0.4)' : '#b7ebd9'}`,
      borderRadius: theme.shape.radius.default,
      padding: theme.spacing(1, 1.5),
      whiteSpace: 'pre-wrap',
    }),
    answers: css({
      display: 'grid',
      gap: theme.spacing(2),
      gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
    }),
    answer: css({
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      padding: theme.spacing(1.5),
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(1),
    }),
    answerHead: css({
      display: 'flex',
      justifyContent: 'space-between',
      gap: theme.spacing(1),
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    side: css({ color: teal.text, fontWeight: theme.typography.fontWeightBold }),
    answerText: css({ whiteSpace: 'pre-wrap', minHeight: 24, margin: 0, fontFamily: theme.typography.fontFamily }),
    error: css({ color: theme.isDark ? '#fca5a5' : '#b91c1c' }),
    vote: css({
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: theme.spacing(1),
      borderTop: `1px solid ${theme.colors.border.weak}`,
      paddingTop: theme.spacing(1),
    }),
    // Vote and thumb buttons: native, so that their colours (pressed = teal) are ours in every state.
    toggle: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      background: theme.colors.secondary.main,
      color: theme.colors.text.primary,
      border: `1px solid ${theme.colors.border.medium}`,
      borderRadius: theme.shape.radius.default,
      padding: theme.spacing(0.25, 1),
      fontSize: theme.typography.bodySmall.fontSize,
      cursor: 'pointer',
      '&:hover:not(:disabled)': { borderColor: teal.fill },
      '&:focus-visible': { outline: `2px solid ${teal.fill}`, outlineOffset: 1 },
      '&:disabled': { cursor: 'progress' },
    }),
    pressed: css({ background: teal.fill, color: teal.onFill, borderColor: teal.fill }),
    primary: css({
      background: teal.fill,
      color: teal.onFill,
      border: `1px solid ${teal.fill}`,
      '&:hover': { background: theme.isDark ? HUMAIN.tealHover : HUMAIN.tealDarkest },
    }),
    composer: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'flex-end' }),
    saved: css({ color: teal.text, fontSize: theme.typography.bodySmall.fontSize }),
    muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  };
}
