"""Proof: a real TRL DPO training on CPU with RLHFMonitorCallback against the real service."""

from __future__ import annotations

import json
import math
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from conftest import API_KEY, Service
from test_monitor import closed_port_url

pytest.importorskip("trl")
import tiny  # noqa: E402  (sets HF_HUB_OFFLINE before transformers loads)
from datasets import Dataset  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback  # noqa: E402
from trl import DPOConfig, DPOTrainer  # noqa: E402

from rlhf_monitor import RLHFMonitorCallback  # noqa: E402

MAX_STEPS = 6


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return tiny.build_model(tmp_path_factory.mktemp("tiny") / "model")


class LogTimes(TrainerCallback):  # type: ignore[misc]
    """When each step's logs were handed to the callbacks (runs after RLHFMonitorCallback)."""

    def __init__(self) -> None:
        self.logged: Dict[int, float] = {}
        self.ended: Optional[float] = None

    def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kw: Any) -> None:
        self.logged.setdefault(state.global_step, time.monotonic())

    def on_train_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self.ended = time.monotonic()


class StepPace(TrainerCallback):  # type: ignore[misc]
    """A real step takes seconds; the tiny model's take milliseconds, so its whole run could end before the
    client's first 1 s flush. Pacing the steps keeps "seen while training runs" a property of the client, not of
    the machine's speed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        time.sleep(self.seconds)


def dpo(model_dir: str, out: Path, callback: RLHFMonitorCallback, *extra: TrainerCallback) -> DPOTrainer:
    args = DPOConfig(
        output_dir=str(out),
        run_name=None,
        max_steps=MAX_STEPS,
        logging_steps=1,
        per_device_train_batch_size=4,
        learning_rate=1e-3,
        max_length=32,
        save_steps=3,
        save_strategy="steps",
        report_to=[],
        use_cpu=True,
        disable_tqdm=True,
        seed=0,
    )
    trainer = DPOTrainer(
        model=AutoModelForCausalLM.from_pretrained(model_dir),
        args=args,
        train_dataset=Dataset.from_list(tiny.preference_pairs()),
        processing_class=AutoTokenizer.from_pretrained(model_dir),
        callbacks=[callback, *extra],
    )
    trainer.train()
    return trainer


def expected_points(log_history: List[Dict[str, Any]]) -> Dict[Tuple[str, int], float]:
    out: Dict[Tuple[str, int], float] = {}
    for entry in log_history:
        for k, v in entry.items():
            if k != "step" and isinstance(v, (int, float)) and math.isfinite(v):
                out[(k, entry["step"])] = float(v)  # a later value at the same step replaces the earlier one
    return out


def test_dpo_live_and_exact(service: Service, model_dir: str, tmp_path: Path) -> None:
    run = f"dpo-{uuid.uuid4().hex[:8]}"
    seen: Dict[int, float] = {}
    stop = threading.Event()

    def poll() -> None:  # what a dashboard sees while the job runs
        while not stop.is_set():
            try:
                for st, _, _ in service.series(run, "loss").get(("loss", ()), []):
                    seen.setdefault(st, time.monotonic())
            except OSError:
                pass
            time.sleep(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    times = LogTimes()
    cb = RLHFMonitorCallback(run, service.url, API_KEY, system_metrics=True)
    trainer = dpo(model_dir, tmp_path / run, cb, times, StepPace(0.5))
    time.sleep(0.5)
    stop.set()
    poller.join()

    # Live: each step's loss was in the service within ~2 s of being logged, most of them before training ended.
    assert sorted(times.logged) == list(range(1, MAX_STEPS + 1))
    lags = {st: seen[st] - times.logged[st] for st in times.logged if st in seen}
    assert sorted(lags) == list(range(1, MAX_STEPS + 1)), f"steps never seen while polling: {lags}"
    assert max(lags.values()) < 2.0, lags
    assert times.ended is not None
    assert sum(1 for st in lags if seen[st] < times.ended) >= MAX_STEPS // 2

    # Exact: every numeric log_history value under its own name and step.
    stored = {(name, st): v for (name, labels), pts in service.series(run).items() if not labels for st, v, _ in pts}
    expected = expected_points(trainer.state.log_history)
    assert {"rewards/margins", "logps/chosen", "logits/rejected", "train_loss", "grad_norm"} <= {k for k, _ in expected}
    missing = {k: v for k, v in expected.items() if stored.get(k) != v}
    assert not missing, f"not stored exactly: {missing}"
    assert stored[("max_steps", MAX_STEPS)] == MAX_STEPS

    # The finished run's trainer_state.json, imported with the console command, gives the same points.
    from conftest import cli

    state = tmp_path / run / f"checkpoint-{MAX_STEPS}" / "trainer_state.json"
    r = cli("import", "trainer-state", str(state), "--run", f"{run}-file", "--url", service.url, "--key", API_KEY)
    assert r.returncode == 0, r.stderr
    imported = {(n, st): v for (n, _), pts in service.series(f"{run}-file").items() for st, v, _ in pts}
    in_file = expected_points(json.loads(state.read_text())["log_history"])
    assert {k: v for k, v in imported.items() if k[0] != "max_steps"} == in_file
    assert {k: stored[k] for k in in_file} == in_file

    # Run start, checkpoints and end as the dashboards' annotations read them.
    events = {e["title"]: e for e in service.events(run)}
    start = events[f"{run}: training started"]
    assert start["tags"] == ["training", run] and start["phase"] == "training"
    for part in (
        f"max_steps={MAX_STEPS}",
        f"model={model_dir}",
        "learning_rate=0.001",
        "batch_size=4",
        "trainer=DPO",
        f"hosts={socket.gethostname()}",
    ):
        assert part in start["text"]
    assert events[f"{run}: checkpoint-3 saved"]["tags"] == ["training", run, "checkpoint"]
    assert f"{run}: checkpoint-6 saved" in events
    assert events[f"{run}: training finished"]["text"] == f"{MAX_STEPS} steps"

    # Progress and ETA from the run's max_steps; system metrics under the System row's names.
    eta = next(f for f in service.query({"type": "health", "run": run})["A"]["frames"] if f["schema"]["name"] == "eta")
    row = {f["name"]: v[0] for f, v in zip(eta["schema"]["fields"], eta["data"]["values"])}
    assert (row["step"], row["max_steps"], row["progress"]) == (MAX_STEPS, MAX_STEPS, 1)
    system = {name for (name, labels), _ in service.series(run).items() if labels}
    assert {"ram_used_gb", "ram_total_gb"} <= system


def test_dpo_completes_with_the_service_down(model_dir: str, tmp_path: Path) -> None:
    cb = RLHFMonitorCallback("down", closed_port_url(), None, close_timeout=1.0)
    trainer = dpo(model_dir, tmp_path / "down", cb)
    assert trainer.state.global_step == MAX_STEPS
    assert cb.monitor is None  # closed at the end of training


def reward_words(completions: List[str], **kwargs: Any) -> List[float]:
    """Rewards length: what a reward model that likes long answers does."""
    return [float(len(c.split())) for c in completions]


def signals(service: Service, run: str, **options: Any) -> Dict[str, Dict[str, Any]]:
    frames = service.query({"type": "health", "run": run, **options})["A"]["frames"]
    fr = next(f for f in frames if f["schema"]["name"] == "signals")
    names = [f["name"] for f in fr["schema"]["fields"]]
    rows = [dict(zip(names, r)) for r in zip(*fr["data"]["values"])]
    summary = next(f for f in frames if f["schema"]["name"] == "summary")
    framework = summary["data"]["values"][[f["name"] for f in summary["schema"]["fields"]].index("framework")][0]
    return {"framework": {"value": framework}, **{r["signal"]: r for r in rows}}


def test_grpo_reaches_the_reward_hacking_signal(service: Service, model_dir: str, tmp_path: Path) -> None:
    from trl import GRPOConfig, GRPOTrainer

    run = f"grpo-{uuid.uuid4().hex[:8]}"
    args = GRPOConfig(
        output_dir=str(tmp_path / run),
        max_steps=4,
        logging_steps=1,
        per_device_train_batch_size=4,
        num_generations=2,
        max_completion_length=8,
        beta=0.04,
        learning_rate=1e-3,
        report_to=[],
        use_cpu=True,
        disable_tqdm=True,
        save_strategy="no",
        seed=0,
    )
    prompts = Dataset.from_list([{"prompt": p["prompt"]} for p in tiny.preference_pairs()])
    trainer = GRPOTrainer(
        model=AutoModelForCausalLM.from_pretrained(model_dir),
        reward_funcs=reward_words,
        args=args,
        train_dataset=prompts,
        processing_class=AutoTokenizer.from_pretrained(model_dir),
        callbacks=[RLHFMonitorCallback(run, service.url, API_KEY, system_metrics=False)],
    )
    trainer.train()
    stored = {(name, st): v for (name, _), pts in service.series(run).items() for st, v, _ in pts}
    expected = expected_points(trainer.state.log_history)
    assert {"kl", "reward", "completions/mean_length", "rewards/reward_words/mean"} <= {k for k, _ in expected}
    assert {k: v for k, v in expected.items() if stored.get(k) != v} == {}

    kl = [v for (k, _), v in sorted(expected.items()) if k == "kl"]
    tight = signals(service, run, kl_budget=min(kl) / 10)
    assert tight["framework"]["value"] == "trl-grpo"
    hacking = tight["reward_hacking"]
    assert "kl" in hacking["metric"] and hacking["state"] in ("warning", "critical")
    assert hacking["value"] == pytest.approx(sum(kl) / len(kl), rel=1.0)  # the smoothed KL, same magnitude
    assert signals(service, run, kl_budget=10)["reward_hacking"]["state"] == "ok"
    assert tight["length_exploitation"]["state"] != "unknown"
    assert "completions/mean_length" in tight["length_exploitation"]["metric"]
