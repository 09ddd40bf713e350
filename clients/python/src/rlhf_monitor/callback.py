"""`RLHFMonitorCallback`: live metrics from the transformers Trainer and every TRL trainer built on it."""

from __future__ import annotations

import os
import socket
from typing import Any, Dict, List, Optional

from transformers import TrainerCallback

from .monitor import Monitor


def _model_name(model: Any) -> Optional[str]:
    for obj in (getattr(model, "config", None), model):
        name = getattr(obj, "_name_or_path", None) or getattr(obj, "name_or_path", None)
        if name:
            return str(name)
    return type(model).__name__ if model is not None else None


class RLHFMonitorCallback(TrainerCallback):
    """Send every `on_log` dict under the trainer's own names, checkpoint events and run start/end events.

    Only the main process (`state.is_world_process_zero`) sends. `run` defaults to `args.run_name`, else the
    output directory's name. Sending happens on a background thread (see `Monitor`); with the service down the
    training goes on and the end of training waits at most `close_timeout` seconds.
    """

    def __init__(
        self,
        run: Optional[str] = None,
        url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        system_metrics: bool = True,
        close_timeout: float = 5.0,
        **monitor_options: Any,
    ) -> None:
        self.run = run
        self._url = url
        self._key = api_key
        self._system = system_metrics
        self._close_timeout = close_timeout
        self._options = monitor_options
        self.monitor: Optional[Monitor] = None
        self._max_steps = 0

    def _tags(self) -> List[str]:
        return ["training", str(self.run)]

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        if self.run is None:
            self.run = getattr(args, "run_name", None) or os.path.basename(os.path.normpath(args.output_dir))
        if self.monitor is None:
            self.monitor = Monitor(self._url, self._key, self.run, system_metrics=self._system, **self._options)
        self._max_steps = int(state.max_steps or 0)
        world = int(getattr(args, "world_size", 1) or 1)
        per_device = int(getattr(args, "per_device_train_batch_size", 0) or 0)
        accum = int(getattr(args, "gradient_accumulation_steps", 1) or 1)
        settings: Dict[str, Any] = {
            "max_steps": self._max_steps,
            "model": _model_name(model),
            "learning_rate": getattr(args, "learning_rate", None),
            "batch_size": per_device * accum * world,
            "per_device_train_batch_size": per_device,
            "gradient_accumulation_steps": accum,
            "world_size": world,
            "num_train_epochs": getattr(args, "num_train_epochs", None),
            "trainer": type(args).__name__.replace("Config", "").replace("TrainingArguments", "Trainer"),
            # The Training dashboard's GPU row picks the run's dcgm-exporter hosts from this (main process's host).
            "hosts": socket.gethostname(),
        }
        text = " ".join(f"{k}={v}" for k, v in settings.items() if v is not None)
        self.monitor.event(f"{self.run}: training started", text, self._tags(), "training")
        self.monitor.log({"max_steps": self._max_steps}, step=state.global_step)

    def on_log(self, args: Any, state: Any, control: Any, logs: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        if self.monitor is None or not logs or not state.is_world_process_zero:
            return
        step = state.global_step
        self.monitor.log(logs, step=step)
        # Progress and ETA read the run's latest `max_steps` point within the status window.
        self.monitor.log({"max_steps": self._max_steps}, step=step)
        self.monitor.send_now()  # a logging step is rare enough to send at once: curves move while the job runs

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.monitor is None or not state.is_world_process_zero:
            return
        step = state.global_step
        path = os.path.join(args.output_dir, f"checkpoint-{step}")
        self.monitor.event(
            f"{self.run}: checkpoint-{step} saved",
            f"step {step}/{self._max_steps} {path}",
            self._tags() + ["checkpoint"],
            "training",
        )

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.monitor is None or not state.is_world_process_zero:
            return
        self.monitor.event(f"{self.run}: training finished", f"{state.global_step} steps", self._tags(), "training")
        self.monitor.close(self._close_timeout)
        self.monitor = None
