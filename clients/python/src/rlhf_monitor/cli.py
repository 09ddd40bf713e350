"""`rlhf-monitor import ...`: what a training box without Node has."""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import signal
import sys
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from . import labelstudio, tensorboard
from .transport import Record, ServiceError, Transport

CHUNK = 5000


def send_all(t: Transport, records: Iterable[Record], retry_for: float = 60.0) -> int:
    """Send in chunks, retrying unreachable/5xx for up to `retry_for` seconds per chunk; 4xx raises."""
    total = 0
    chunk: List[Record] = []

    def flush() -> int:
        deadline = time.monotonic() + retry_for
        delay = 0.25
        while True:
            try:
                return t.send(chunk)
            except ServiceError as e:
                if not e.retryable or time.monotonic() > deadline:
                    raise
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 5.0)

    for r in records:
        chunk.append(r)
        if len(chunk) >= CHUNK:
            total += flush()
            chunk = []
    if chunk:
        total += flush()
    return total


def default_state_path(logdir: str, run: Optional[str]) -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha1(f"{os.path.abspath(logdir)}\0{run or ''}".encode()).hexdigest()[:16]
    return os.path.join(base, "rlhf-monitor", f"tensorboard-{key}.json")


def _load_state(path: str) -> Dict[str, int]:
    try:
        with open(path) as f:
            data = json.load(f)
        return {str(k): int(v) for k, v in data.get("offsets", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _save_state(path: str, offsets: Dict[str, int]) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"offsets": offsets}, f)
    os.replace(tmp, path)  # atomic: a follower killed mid-write keeps the previous state


def tensorboard_pass(
    t: Transport,
    logdir: str,
    run: Optional[str],
    offsets: Dict[str, int],
    retry_for: float = 60.0,
    saved: Callable[[], None] = lambda: None,
) -> int:
    """Send the scalars written after `offsets`, in chunks; returns how many were sent.

    `offsets` (file -> byte offset) moves past a record only once all of its scalars are stored, and `saved` is
    called after each chunk: a follower stopped at any moment resends at most the chunk it was sending, which the
    service's idempotent ingest stores once.
    """
    sent = 0
    chunk: List[Record] = []
    done: Dict[str, int] = {}
    last: Optional[Tuple[str, int]] = None

    def send() -> None:
        nonlocal sent, chunk
        if chunk:
            sent += send_all(t, chunk, retry_for)
        chunk = []
        offsets.update(done)
        saved()

    for path, name, end, s in tensorboard.scalars_by_run(logdir, run, offsets):
        if last is not None and last != (path, end):
            done[last[0]] = last[1]  # every scalar of the previous record is in the chunk
            if len(chunk) >= CHUNK:
                send()
        last = (path, end)
        chunk.append(
            {
                "kind": "metric",
                "run": name,
                "name": s.tag,
                "value": s.value,
                "step": s.step,
                "ts": int(round(s.wall_time * 1000)),
                "phase": "training",
            }
        )
    if last is not None:
        done[last[0]] = last[1]
    send()
    return sent


def _interrupt(*_: Any) -> None:
    raise KeyboardInterrupt


def import_tensorboard(t: Transport, a: argparse.Namespace) -> int:
    if not os.path.isdir(a.logdir):
        raise SystemExit(f"rlhf-monitor: {a.logdir} is not a directory")
    if not a.follow:
        total = tensorboard_pass(t, a.logdir, a.run, {})
        print(json.dumps({"sent": total, "files": len(tensorboard.event_files(a.logdir))}))
        return 0
    state = a.state or default_state_path(a.logdir, a.run)
    offsets = _load_state(state)
    signal.signal(signal.SIGTERM, _interrupt)  # stop at once, even while waiting for the service
    total = 0
    first = True
    try:
        while True:
            # While following, an unreachable service is waited for (retried with backoff) for as long as it takes.
            n = tensorboard_pass(t, a.logdir, a.run, offsets, math.inf, lambda: _save_state(state, offsets))
            total += n
            if n or first:
                print(json.dumps({"sent": n, "total": total, "following": a.logdir, "state": state}), flush=True)
            first = False
            time.sleep(a.poll)
    except KeyboardInterrupt:
        return 0


def _read_json(path: str) -> Any:
    with sys.stdin if path == "-" else open(path, encoding="utf-8") as f:
        return json.load(f)


def _ndjson(path: str) -> Iterable[Record]:
    with sys.stdin if path == "-" else open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError:
                    raise SystemExit(f"rlhf-monitor: {path} line {n}: not valid JSON") from None


def run_import(a: argparse.Namespace) -> int:
    t = Transport(a.url, a.key)
    if a.source == "trainer-state":
        with open(a.file, "rb") as f:
            body = f.read()
        from urllib.parse import quote

        path = "/api/v1/import/trainer-state" + (f"?run={quote(a.run)}" if a.run else "")
        answer = t.post(path, body, "application/json")
        print(json.dumps({"sent": answer.get("accepted", 0)}))
        return 0
    if a.source == "tensorboard":
        return import_tensorboard(t, a)
    if a.source == "label-studio":
        records = labelstudio.export_to_records(_read_json(a.file), a.dataset, a.field)
        print(json.dumps({"sent": send_all(t, records)}))
        return 0
    print(json.dumps({"sent": send_all(t, _ndjson(a.file))}))
    return 0


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", help="service URL (default $RLHF_MONITOR_URL, else http://127.0.0.1:8400)")
    common.add_argument("--key", help="API key (default $RLHF_API_KEY)")
    p = argparse.ArgumentParser(prog="rlhf-monitor", description="Send training and labeling data to the RLHF monitor.")
    sub = p.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="import a file or directory")
    src = imp.add_subparsers(dest="source", required=True)
    ts = src.add_parser("trainer-state", parents=[common], help="a transformers trainer_state.json")
    ts.add_argument("file")
    ts.add_argument("--run", help="run name (default: the checkpoint's directory)")
    tb = src.add_parser("tensorboard", parents=[common], help="a TensorBoard logdir (scalars)")
    tb.add_argument("logdir")
    tb.add_argument("--run", help="one run name for all files (default: one run per subdirectory)")
    tb.add_argument("--follow", action="store_true", help="keep sending points as they are written, until stopped")
    tb.add_argument("--state", help="where --follow remembers what it sent (default under ~/.cache/rlhf-monitor)")
    tb.add_argument("--poll", type=float, default=1.0, help="seconds between directory scans with --follow")
    ls = src.add_parser("label-studio", parents=[common], help="a Label Studio JSON export")
    ls.add_argument("file")
    ls.add_argument("--dataset", required=True, help="dataset name of the annotations")
    ls.add_argument("--field", help="the labeling control (from_name) to import when there are several")
    nd = src.add_parser("ndjson", parents=[common], help="records, one JSON object per line ('-' for stdin)")
    nd.add_argument("file")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    a = parser().parse_args(argv)
    try:
        return run_import(a)
    except tensorboard.CorruptRecord as e:
        print(f"rlhf-monitor: {e}", file=sys.stderr)
        return 2
    except labelstudio.ExportError as e:
        print(f"rlhf-monitor: {a.file}: {e}", file=sys.stderr)
        return 2
    except ServiceError as e:
        print(f"rlhf-monitor: the service answered {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"rlhf-monitor: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
