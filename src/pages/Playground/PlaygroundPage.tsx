import { config, getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { cx } from '@emotion/css';
import { Alert, Button, Icon, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { ROUTE_PATH } from '../../datasource/datasource';
import { comparisonRecords, conversationId, lengthSample, thumbRecords, type Choice, type Thumb } from './judgements';
import { chatCompletion, listModels, proxyBase, ProviderError, type ChatMessage } from './openai';
import { providersFrom, type Provider } from './settings';
import { playgroundStyles } from './styles';

const DATASOURCE_TYPE = 'humain-rlhf-datasource';

type Mode = 'chat' | 'compare';

interface ModelRef {
  slot: number;
  model: string;
}

interface AnswerState {
  model: string;
  provider: string;
  text: string;
  status: 'waiting' | 'streaming' | 'done' | 'stopped' | 'error';
  error?: string;
  completionTokens: number | null;
  streamed: boolean;
  lengthSent: boolean;
  thumb?: Thumb;
}

interface Turn {
  /** Fixed by the first turn: what was asked of which models (see judgements.ts). */
  conversation: string;
  prompt: string;
  answers: AnswerState[];
  choice?: Choice;
  reason: string;
  saving: boolean;
  saved?: string;
  saveError?: string;
}

/** Record time; outside the component so that rendering stays pure. */
const clock = () => Date.now();

const refKey = (r: ModelRef) => `${r.slot}|${r.model}`;
const parseRef = (v: string): ModelRef => {
  const i = v.indexOf('|');
  return { slot: Number(v.slice(0, i)), model: v.slice(i + 1) };
};

/** Models per provider: the configured list, else what `<base>/models` offers through the proxy. */
function useModels(providers: Provider[], pluginId: string) {
  const [listed, setListed] = useState<Record<number, string[] | string>>({});
  useEffect(() => {
    let live = true;
    for (const p of providers.filter((x) => x.models.length === 0)) {
      listModels(proxyBase(config.appSubUrl ?? '', pluginId, p.slot), p.name).then(
        (models) => live && setListed((l) => ({ ...l, [p.slot]: models })),
        (e: unknown) => live && setListed((l) => ({ ...l, [p.slot]: e instanceof Error ? e.message : String(e) }))
      );
    }
    return () => {
      live = false;
    };
  }, [providers, pluginId]);
  const options = providers.flatMap((p) => {
    const l = listed[p.slot];
    const models = p.models.length ? p.models : Array.isArray(l) ? l : [];
    return models.map((m) => ({ value: refKey({ slot: p.slot, model: m }), label: `${p.name} · ${m}` }));
  });
  const problems = providers.flatMap((p) => (typeof listed[p.slot] === 'string' ? [listed[p.slot] as string] : []));
  return { options, problems };
}

function ingestUrl(): string | undefined {
  const ds = getDataSourceSrv()
    .getList()
    .find((d) => d.type === DATASOURCE_TYPE);
  return ds?.url ? `${ds.url}/${ROUTE_PATH}/api/v1/ingest` : undefined;
}

function fetchErrorText(e: unknown): string {
  const err = e as { status?: number; data?: { message?: string } };
  if (err?.data?.message) {
    return `${err.status ?? ''} ${err.data.message}`.trim();
  }
  return e instanceof Error ? e.message : String(e);
}

export interface PlaygroundProps {
  pluginId: string;
  jsonData: unknown;
}

export function PlaygroundPage({ pluginId, jsonData }: PlaygroundProps) {
  const s = useStyles2(playgroundStyles);
  const providers = useMemo(() => providersFrom(jsonData), [jsonData]);
  const { options, problems } = useModels(providers, pluginId);
  const [mode, setMode] = useState<Mode>('chat');
  const [pick, setPick] = useState<[string, string]>(['', '']);
  const [system, setSystem] = useState('');
  const [temperature, setTemperature] = useState(0.7);
  const [maxTokens, setMaxTokens] = useState(512);
  const [stream, setStream] = useState(true);
  const [draft, setDraft] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const annotator = config.bootData?.user?.login || 'anonymous';

  // A pick that is not (or no longer) offered falls back to the first model for A, the second for B.
  const sides = useMemo(() => {
    const valid = (v: string) => options.some((o) => o.value === v);
    const a = valid(pick[0]) ? pick[0] : (options[0]?.value ?? '');
    const b = valid(pick[1]) ? pick[1] : (options[1]?.value ?? a);
    return mode === 'compare' ? [a, b] : [a];
  }, [options, pick, mode]);
  const updateAnswer = (turn: number, side: number, patch: Partial<AnswerState>) =>
    setTurns((ts) =>
      ts.map((t, i) =>
        i === turn ? { ...t, answers: t.answers.map((a, j) => (j === side ? { ...a, ...patch } : a)) } : t
      )
    );
  const updateTurn = (turn: number, patch: Partial<Turn>) =>
    setTurns((ts) => ts.map((t, i) => (i === turn ? { ...t, ...patch } : t)));

  const send = useCallback(async () => {
    const prompt = draft.trim();
    if (!prompt || busy || sides.some((v) => !v)) {
      return;
    }
    const refs = sides.map(parseRef);
    const turnIndex = turns.length;
    const history = (side: number): ChatMessage[] => [
      ...(system.trim() ? [{ role: 'system' as const, content: system.trim() }] : []),
      ...turns.flatMap((t) => [
        { role: 'user' as const, content: t.prompt },
        ...(t.answers[side]?.text ? [{ role: 'assistant' as const, content: t.answers[side].text }] : []),
      ]),
      { role: 'user', content: prompt },
    ];
    const conversation =
      turns[0]?.conversation ??
      conversationId(
        system,
        prompt,
        refs.map((r) => r.model)
      );
    setTurns((ts) => [
      ...ts,
      {
        conversation,
        prompt,
        reason: '',
        saving: false,
        answers: refs.map((r) => ({
          model: r.model,
          provider: providers.find((p) => p.slot === r.slot)?.name ?? `Provider ${r.slot}`,
          text: '',
          status: 'waiting',
          completionTokens: null,
          streamed: false,
          lengthSent: false,
        })),
      },
    ]);
    setDraft('');
    setBusy(true);
    const controller = new AbortController();
    abort.current = controller;
    await Promise.all(
      refs.map(async (r, side) => {
        const name = providers.find((p) => p.slot === r.slot)?.name ?? `Provider ${r.slot}`;
        try {
          const res = await chatCompletion(
            {
              base: proxyBase(config.appSubUrl ?? '', pluginId, r.slot),
              model: r.model,
              messages: history(side),
              temperature,
              maxTokens,
              stream,
              signal: controller.signal,
              onText: (text) => updateAnswer(turnIndex, side, { text, status: 'streaming' }),
            },
            name
          );
          updateAnswer(turnIndex, side, {
            text: res.text,
            status: res.stopped ? 'stopped' : 'done',
            completionTokens: res.completionTokens,
            streamed: res.streamed,
          });
        } catch (e) {
          updateAnswer(turnIndex, side, {
            status: 'error',
            error: e instanceof ProviderError ? e.message : String(e),
          });
        }
      })
    );
    abort.current = null;
    setBusy(false);
  }, [draft, busy, sides, turns, system, providers, pluginId, temperature, maxTokens, stream]);

  const stop = () => abort.current?.abort();

  const clear = () => {
    stop();
    setTurns([]);
  };

  /** Store the records of a judgement (and the lengths of answers not sent before) through the data source. */
  const save = async (turnIndex: number, build: (ts: number) => ReturnType<typeof thumbRecords>) => {
    const url = ingestUrl();
    if (!url) {
      updateTurn(turnIndex, {
        saveError:
          'No RLHF Monitor data source is configured, so the judgement cannot be stored. Set it up on the app’s configuration page.',
      });
      return false;
    }
    const ts = clock();
    const turn = turns[turnIndex];
    const lengths = turn.answers.filter((a) => !a.lengthSent && a.status === 'done').map((a) => lengthSample(a, ts));
    updateTurn(turnIndex, { saving: true, saveError: undefined });
    try {
      await lastValueFrom(
        getBackendSrv().fetch({
          url,
          method: 'POST',
          data: [...build(ts), ...lengths],
          headers: { 'Content-Type': 'application/json' },
          showErrorAlert: false,
        })
      );
      setTurns((ts2) =>
        ts2.map((t, i) =>
          i === turnIndex
            ? {
                ...t,
                saving: false,
                answers: t.answers.map((a) => (a.status === 'done' ? { ...a, lengthSent: true } : a)),
              }
            : t
        )
      );
      return true;
    } catch (e) {
      updateTurn(turnIndex, { saving: false, saveError: `The judgement was not stored: ${fetchErrorText(e)}` });
      return false;
    }
  };

  const vote = async (turnIndex: number, choice: Choice) => {
    const t = turns[turnIndex];
    const ok = await save(turnIndex, (ts) =>
      comparisonRecords({
        conversation: t.conversation,
        turn: turnIndex,
        annotator,
        choice,
        modelA: t.answers[0].model,
        modelB: t.answers[1].model,
        reason: t.reason,
        ts,
      })
    );
    if (ok) {
      updateTurn(turnIndex, { choice, saved: `Saved: ${choice === 'tie' ? 'tie' : `${choice} is better`}` });
    }
  };

  const thumb = async (turnIndex: number, side: number, value: Thumb) => {
    const t = turns[turnIndex];
    const ok = await save(turnIndex, (ts) =>
      thumbRecords({
        conversation: t.conversation,
        turn: turnIndex,
        side: side === 0 ? 'A' : 'B',
        annotator,
        thumb: value,
        reason: t.reason,
        ts,
      })
    );
    if (ok) {
      updateAnswer(turnIndex, side, { thumb: value });
      updateTurn(turnIndex, { saved: `Saved: thumbs ${value} for ${side === 0 ? 'A' : 'B'}` });
    }
  };

  if (providers.length === 0) {
    return (
      <div className={s.page}>
        <h2 className={s.title}>Playground</h2>
        <Alert severity="info" title="No model provider is configured">
          An admin adds OpenAI-compatible providers (OpenAI, DeepSeek, vLLM, LM Studio, Ollama) on the app’s
          configuration page, under “Playground providers”. Keys stay on the Grafana server.
        </Alert>
      </div>
    );
  }

  return (
    <div className={s.page} data-testid="playground">
      <h2 className={s.title}>Playground</h2>
      <div className={s.toolbar}>
        <RadioButtonGroup<Mode>
          aria-label="Mode"
          options={[
            { label: 'Chat', value: 'chat' as const },
            { label: 'Compare', value: 'compare' as const },
          ]}
          value={mode}
          onChange={(m) => {
            clear();
            setMode(m);
          }}
        />
        {sides.map((v, side) => (
          <label className={s.label} key={side}>
            {mode === 'compare' ? `Model ${side === 0 ? 'A' : 'B'}` : 'Model'}
            <select
              className={s.select}
              value={v}
              disabled={busy}
              onChange={(e) => {
                const next: [string, string] = [sides[0], sides[1] ?? pick[1]];
                next[side] = e.target.value;
                setPick(next);
              }}
            >
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label className={s.label}>
          Temperature
          <input
            className={s.number}
            type="number"
            min={0}
            max={2}
            step={0.1}
            value={temperature}
            onChange={(e) => setTemperature(Math.min(2, Math.max(0, Number(e.target.value) || 0)))}
          />
        </label>
        <label className={s.label}>
          Max tokens
          <input
            className={s.number}
            type="number"
            min={1}
            max={32768}
            step={1}
            value={maxTokens}
            onChange={(e) => setMaxTokens(Math.max(1, Math.round(Number(e.target.value) || 1)))}
          />
        </label>
        <label className={s.label}>
          Stream tokens
          <input type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} />
        </label>
      </div>
      {problems.map((p) => (
        <Alert key={p} severity="warning" title="Could not list models">
          {p}
        </Alert>
      ))}
      {options.length === 0 && (
        <Alert severity="warning" title="No models">
          No provider lists a model. An admin can enter model names on the app’s configuration page.
        </Alert>
      )}
      <label className={s.label}>
        System prompt
        <textarea
          className={s.textarea}
          rows={2}
          value={system}
          disabled={turns.length > 0}
          placeholder="Optional: instructions for the model, e.g. “You are a concise assistant.”"
          onChange={(e) => setSystem(e.target.value)}
        />
      </label>
      <section className={s.turns} aria-label="Conversation" aria-live="polite">
        {turns.map((t, ti) => (
          <div key={ti} className={s.turns} data-testid={`turn-${ti}`}>
            <div className={s.prompt} aria-label={`Prompt ${ti + 1}`}>
              {t.prompt}
            </div>
            <div className={s.answers}>
              {t.answers.map((a, side) => (
                <article
                  key={side}
                  className={s.answer}
                  data-testid={`answer-${ti}-${side}`}
                  data-status={a.status}
                  aria-label={`Answer ${side === 0 ? 'A' : 'B'} to prompt ${ti + 1}`}
                >
                  <div className={s.answerHead}>
                    <span>
                      {mode === 'compare' && <span className={s.side}>{side === 0 ? 'A' : 'B'} · </span>}
                      {a.provider} · {a.model}
                    </span>
                    <span>
                      {a.status === 'waiting' && 'waiting…'}
                      {a.status === 'streaming' && 'streaming…'}
                      {a.status === 'stopped' && 'stopped'}
                      {a.status === 'done' && (a.streamed ? 'streamed' : 'whole answer')}
                    </span>
                  </div>
                  {a.status === 'error' ? (
                    <p className={s.error} role="alert">
                      {a.error}
                    </p>
                  ) : (
                    <p className={s.answerText}>{a.text}</p>
                  )}
                  {a.status === 'done' && (
                    <div className={s.vote}>
                      {(['up', 'down'] as const).map((v) => (
                        <button
                          key={v}
                          type="button"
                          aria-pressed={a.thumb === v}
                          className={cx(s.toggle, a.thumb === v && s.pressed)}
                          disabled={t.saving}
                          onClick={() => thumb(ti, side, v)}
                        >
                          <Icon name={v === 'up' ? 'thumbs-up' : 'thumbs-down'} aria-hidden />
                          {v === 'up' ? 'Good' : 'Bad'}
                        </button>
                      ))}
                    </div>
                  )}
                </article>
              ))}
            </div>
            {t.answers.every((a) => a.status !== 'waiting' && a.status !== 'streaming') && (
              <div className={s.vote}>
                {mode === 'compare' && t.answers.every((a) => a.status === 'done') && (
                  <>
                    <span className={s.muted}>Which answer is better?</span>
                    {(['A', 'tie', 'B'] as const).map((c) => (
                      <button
                        key={c}
                        type="button"
                        aria-pressed={t.choice === c}
                        className={cx(s.toggle, t.choice === c && s.pressed)}
                        disabled={t.saving}
                        onClick={() => vote(ti, c)}
                      >
                        {c === 'tie' ? 'Tie' : `${c} is better`}
                      </button>
                    ))}
                  </>
                )}
                {t.answers.some((a) => a.status === 'done') && (
                  <input
                    className={s.field}
                    aria-label={`Reason for your judgement of prompt ${ti + 1} (optional)`}
                    placeholder="Reason (optional)"
                    value={t.reason}
                    onChange={(e) => updateTurn(ti, { reason: e.target.value })}
                  />
                )}
                {t.saved && !t.saveError && (
                  <span className={s.saved} role="status">
                    {t.saved}
                  </span>
                )}
                {t.saveError && (
                  <span className={s.error} role="alert">
                    {t.saveError}
                  </span>
                )}
              </div>
            )}
          </div>
        ))}
      </section>
      <div className={s.composer}>
        <textarea
          className={s.textarea}
          aria-label="Message"
          rows={3}
          value={draft}
          placeholder="Ask something. Enter sends, Shift+Enter adds a line."
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        {busy ? (
          <Button variant="destructive" icon="square-shape" onClick={stop}>
            Stop
          </Button>
        ) : (
          <Button className={s.primary} icon="message" onClick={send} disabled={!draft.trim() || options.length === 0}>
            Send
          </Button>
        )}
        <Button variant="secondary" onClick={clear} disabled={turns.length === 0}>
          New conversation
        </Button>
      </div>
      <p className={s.muted}>
        Judgements are stored as annotations of dataset “playground” by {annotator}; keys stay on the Grafana server.
      </p>
    </div>
  );
}
