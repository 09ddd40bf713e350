"""`Monitor`: buffers records in memory and sends them from a background thread, never blocking the caller."""

from __future__ import annotations

import atexit
import collections
import functools
import logging
import math
import re
import threading
import time
import uuid
import weakref
from typing import Any, Callable, Deque, List, Mapping, Optional, Sequence, TypeVar, Union, cast

from .transport import Record, ServiceError, Transport

log = logging.getLogger("rlhf_monitor")

Number = Union[int, float]
PHASES = ("data", "training", "evaluation", "deployment")

_open: "weakref.WeakSet[Monitor]" = weakref.WeakSet()
# The service names the first invalid record of a batch by its NDJSON line ("line 3: field ...").
_BAD_LINE = re.compile(r"line (\d+): ")

F = TypeVar("F", bound=Callable[..., None])


def _never_raises(method: F) -> F:
    """Bad input to a record method is logged at debug level and dropped, never raised into the training loop."""

    @functools.wraps(method)
    def safe(*args: Any, **kwargs: Any) -> None:
        try:
            method(*args, **kwargs)
        except Exception as e:
            log.debug("rlhf-monitor: %s() ignored bad input: %s", method.__name__, e)

    return cast(F, safe)


def _now_ms() -> int:
    return int(time.time() * 1000)


def _ts(ts: Optional[Union[float, str]]) -> Union[int, str]:
    """Epoch seconds (as time.time() gives) or an ISO-8601 string; the wire wants epoch milliseconds."""
    if ts is None:
        return _now_ms()
    if isinstance(ts, str):
        return ts
    return int(round(ts * 1000))


def _number(v: Any) -> Optional[float]:
    """A finite number, else None (strings, tensors without .item(), NaN and inf are not sent)."""
    if isinstance(v, bool):
        return None
    if not isinstance(v, (int, float)):
        item = getattr(v, "item", None)
        if item is None:
            return None
        try:
            v = item()
        except Exception:
            return None
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return None
    f = float(v)
    return f if math.isfinite(f) else None


class Monitor:
    """Send metrics and records of one run to the RLHF monitor service.

    Every method only appends to an in-memory queue (microseconds) and never raises; a daemon thread posts
    batches of up to `batch_size` records at least every `flush_interval` seconds, retrying with exponential
    backoff while the service is unreachable or answers 429/5xx. When the queue holds `max_queue` records,
    further records are dropped and counted in `dropped` (one warning). At interpreter exit the queue is
    flushed, waiting at most `exit_timeout` seconds. While it is open, `system_metrics` samples the GPUs
    (nvidia-smi, if there is one), CPU and RAM of this host every `system_interval` seconds (see system.py).
    """

    def __init__(
        self,
        url: Optional[str] = None,
        api_key: Optional[str] = None,
        run: Optional[str] = None,
        *,
        phase: str = "training",
        batch_size: int = 1000,
        flush_interval: float = 1.0,
        max_queue: int = 100_000,
        timeout: float = 10.0,
        exit_timeout: float = 5.0,
        max_backoff: float = 10.0,
        system_metrics: bool = True,
        system_interval: float = 10.0,
    ) -> None:
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {', '.join(PHASES)}, got {phase!r}")
        self.run = run or "default"
        self.phase = phase
        self.transport = Transport(url, api_key, timeout)
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.max_queue = max_queue
        self.exit_timeout = exit_timeout
        self.max_backoff = max_backoff
        self.dropped = 0
        self.sent = 0
        self.rejected = 0
        self.last_error: Optional[str] = None
        self._queue: Deque[Record] = collections.deque()
        self._inflight = 0
        self._wake = threading.Event()  # records are waiting: send before the interval is over
        self._retry = threading.Event()  # flush/close: retry now instead of at the end of the backoff
        self._idle = threading.Condition()
        self._closed = False
        self._stop = False
        self._warned_drop = False
        self._warned_error = False
        self._warned_reject = False
        self._thread = threading.Thread(target=self._loop, name="rlhf-monitor-sender", daemon=True)
        self._thread.start()
        _open.add(self)
        self._sampler: Any = None
        if system_metrics:
            from .system import SystemSampler

            self._sampler = SystemSampler(self, system_interval)
            self._sampler.start()

    # ---- records -------------------------------------------------------------------------------------------

    def _put(self, record: Record) -> None:
        if self._closed:
            return
        if len(self._queue) >= self.max_queue:
            self.dropped += 1
            if not self._warned_drop:
                self._warned_drop = True
                log.warning(
                    "rlhf-monitor: queue full (%d records; service %s unreachable or slow): dropping records "
                    "until it catches up; Monitor.dropped counts them",
                    self.max_queue,
                    self.transport.url,
                )
            return
        self._queue.append(record)
        if len(self._queue) >= self.batch_size:
            self._wake.set()

    @_never_raises
    def log(
        self,
        metrics: Mapping[str, Any],
        step: Optional[int] = None,
        ts: Optional[Union[float, str]] = None,
        labels: Optional[Mapping[str, str]] = None,
        phase: Optional[str] = None,
        run: Optional[str] = None,
    ) -> None:
        """Metric points under their own names; values that are not finite numbers are skipped.

        `ts` is epoch seconds (default now) or ISO-8601; `step` an integer >= 0.
        """
        t = _ts(ts)
        s = int(step) if step is not None and step >= 0 else None
        lab = {str(k): str(v) for k, v in labels.items()} if labels else {}
        r = run or self.run
        p = phase or self.phase
        for name, raw in metrics.items():
            v = _number(raw)
            if v is None:
                continue
            rec: Record = {"kind": "metric", "run": r, "name": str(name), "value": v, "ts": t, "phase": p}
            if s is not None:
                rec["step"] = s
            if lab:
                rec["labels"] = lab
            self._put(rec)

    @_never_raises
    def annotation(
        self, dataset: str, item: str, annotator: str, label: Union[str, Number], ts: Optional[Union[float, str]] = None
    ) -> None:
        """One label of one item by one annotator (agreement, label balance)."""
        self._put(
            {
                "kind": "annotation",
                "dataset": dataset,
                "item": str(item),
                "annotator": str(annotator),
                "label": label,
                "ts": _ts(ts),
            }
        )

    @_never_raises
    def prediction(
        self,
        model: str,
        confidence: float,
        correct: bool,
        item: Optional[str] = None,
        ts: Optional[Union[float, str]] = None,
    ) -> None:
        """A model's confidence in its answer and whether it was right (calibration)."""
        rec: Record = {
            "kind": "prediction",
            "model": model,
            "confidence": float(confidence),
            "correct": bool(correct),
            "ts": _ts(ts),
        }
        if item is not None:
            rec["item"] = str(item)
        self._put(rec)

    @_never_raises
    def sample(
        self, feature: str, source: str, value: Union[str, Number], ts: Optional[Union[float, str]] = None
    ) -> None:
        """One observed feature value from a population such as `training` or `production` (drift)."""
        self._put({"kind": "sample", "feature": feature, "source": source, "value": value, "ts": _ts(ts)})

    @_never_raises
    def event(
        self,
        title: str,
        text: str = "",
        tags: Sequence[str] = (),
        phase: Optional[str] = None,
        ts: Optional[Union[float, str]] = None,
    ) -> None:
        """An annotation on the dashboards' time axis (run started, checkpoint saved, incident)."""
        rec: Record = {"kind": "event", "title": title, "text": text, "tags": list(tags), "ts": _ts(ts)}
        if phase is not None:
            rec["phase"] = phase
        self._put(rec)

    # ---- sending -------------------------------------------------------------------------------------------

    def _send(self, batch: List[Record], key: str) -> Optional[bool]:
        """True: done with the batch (stored, or rejected); False: retry it after a backoff; None: retry it now,
        without the invalid record the service named (one bad record must not cost the rest of the batch)."""
        try:
            self.sent += self.transport.send(batch, key)
            self.last_error = None
            self._warned_error = False
            return True
        except ServiceError as e:
            self.last_error = str(e)
            if not e.retryable:
                bad = _BAD_LINE.match(e.message)
                if e.status == 400 and bad and len(batch) > 1 and 1 <= int(bad.group(1)) <= len(batch):
                    batch.pop(int(bad.group(1)) - 1)
                    self.rejected += 1
                    if not self._warned_reject:
                        self._warned_reject = True
                        log.warning("rlhf-monitor: the service rejected a record: %s", e.message)
                    return None
                self.rejected += len(batch)
                log.warning("rlhf-monitor: the service rejected %d records: %s", len(batch), e)
                return True
        except Exception as e:  # unreachable, timeout, reset
            self.last_error = f"{type(e).__name__}: {e}"
        if not self._warned_error:
            self._warned_error = True
            log.warning(
                "rlhf-monitor: cannot send to %s (%s); retrying in the background", self.transport.url, self.last_error
            )
        return False

    def _loop(self) -> None:
        backoff = 0.0
        batch: List[Record] = []
        key = ""
        while True:
            if not batch:
                if not self._queue:
                    with self._idle:
                        self._idle.notify_all()
                    if self._stop:
                        return
                    self._wake.wait(self.flush_interval)
                    self._wake.clear()
                n = min(self.batch_size, len(self._queue))
                self._inflight = n  # before popping, so pending() never reads 0 while records are in hand
                key = uuid.uuid4().hex  # the same for every retry of this batch
                batch = [self._queue.popleft() for _ in range(n)]
                if not batch:
                    continue
            done = self._send(batch, key)
            if done is None:
                self._inflight = len(batch)
                key = uuid.uuid4().hex  # a different batch now: one record fewer
                continue
            if done:
                batch = []
                self._inflight = 0
                backoff = 0.0
                continue
            if self._stop:
                return
            backoff = min(self.max_backoff, backoff * 2 if backoff else 0.25)
            self._retry.wait(backoff)
            self._retry.clear()

    def send_now(self) -> None:
        """Have the sender post what is queued without waiting for the next interval; never blocks."""
        self._wake.set()

    def pending(self) -> int:
        """Records queued or in flight."""
        return len(self._queue) + self._inflight

    def flush(self, timeout: Optional[float] = 10.0) -> bool:
        """Wait until everything queued so far is sent (True) or `timeout` seconds pass (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        self._wake.set()
        self._retry.set()
        with self._idle:
            while self.pending() and self._thread.is_alive():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._idle.wait(0.05 if left is None else min(0.05, left))
                self._wake.set()
                self._retry.set()
        return self.pending() == 0

    def close(self, timeout: Optional[float] = None) -> bool:
        """Flush (at most `timeout`, default `exit_timeout` seconds) and stop the thread; later records are ignored."""
        if self._sampler is not None:
            self._sampler.stop()
        ok = self.flush(self.exit_timeout if timeout is None else timeout)
        self._closed = True
        self._stop = True
        self._wake.set()
        self._retry.set()
        _open.discard(self)
        if not ok:
            log.warning(
                "rlhf-monitor: %d records not sent to %s (%s)", self.pending(), self.transport.url, self.last_error
            )
        return ok

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@atexit.register
def _flush_at_exit() -> None:
    for m in list(_open):
        try:
            m.close()
        except Exception:
            pass
