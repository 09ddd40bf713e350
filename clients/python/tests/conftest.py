"""The real service (node + tsx from the repository root) on an ephemeral port with a temporary SQLite store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

# Nothing in the tests may reach the Hugging Face hub (the tiny model is built in code).
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"
API_KEY = "test-key-python-client"


class Service:
    """One service process; `stop()` and `start()` again reuse the same store (and, if free, the same port)."""

    def __init__(self, db: Path, port: int = 0) -> None:
        self.db = db
        self.port = port
        self.url = ""
        self.proc: Optional[subprocess.Popen[str]] = None
        self.log: List[str] = []

    def start(self) -> "Service":
        env = {
            **os.environ,
            "RLHF_DEMO": "0",
            "RLHF_DB": str(self.db),
            "RLHF_PORT": str(self.port),
            "RLHF_HOST": "127.0.0.1",
            "RLHF_API_KEY": API_KEY,
        }
        self.proc = subprocess.Popen(
            ["node", "--import", "tsx", "server/src/main.ts"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 30
        for line in self.proc.stdout:
            self.log.append(line)
            m = re.search(r"RLHF monitor on (http://[\d.:]+)", line)
            if m:
                self.url = m.group(1)
                self.port = int(self.url.rsplit(":", 1)[1])
                break
            if time.monotonic() > deadline:
                break
        if not self.url:
            raise RuntimeError("service did not start:\n" + "".join(self.log))
        out = self.proc.stdout
        threading.Thread(target=lambda: [self.log.append(x) for x in out], daemon=True).start()
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def query(self, *queries: Dict[str, Any], frm: int = 0, to: Optional[int] = None) -> Dict[str, Any]:
        body = {
            "from": frm,
            "to": to or int(time.time() * 1000) + 3_600_000,
            "maxDataPoints": 100_000,
            "queries": [{"refId": chr(65 + i), **q} for i, q in enumerate(queries)],
        }
        req = urllib.request.Request(
            self.url + "/api/v1/query",
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"},
        )
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read())["results"]  # type: ignore[no-any-return]

    def series(
        self, run: str, metric: str = "*"
    ) -> Dict[Tuple[str, Tuple[Tuple[str, str], ...]], List[Tuple[Any, float, int]]]:
        """{(metric, labels other than run/metric): [(step, value, time ms)]} from the timeseries query."""
        out: Dict[Tuple[str, Tuple[Tuple[str, str], ...]], List[Tuple[Any, float, int]]] = {}
        for fr in self.query({"type": "timeseries", "run": run, "metric": metric})["A"]["frames"]:
            fields = fr["schema"]["fields"]
            cols = {f["name"]: v for f, v in zip(fields, fr["data"]["values"])}
            labels = next(f["labels"] for f in fields if f["name"] == "value")
            extra = tuple(sorted((k, v) for k, v in labels.items() if k not in ("run", "metric")))
            steps = cols.get("step", [None] * len(cols["value"]))
            out[(labels["metric"], extra)] = list(zip(steps, cols["value"], cols["time"]))
        return out

    def events(self, tags: str = "*") -> List[Dict[str, Any]]:
        fr = self.query({"type": "events", "tags": tags})["A"]["frames"][0]
        names = [f["name"] for f in fr["schema"]["fields"]]
        return [dict(zip(names, row)) for row in zip(*fr["data"]["values"])]


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    s = Service(tmp_path_factory.mktemp("service") / "monitor.db").start()
    yield s
    s.stop()


@pytest.fixture
def own_service(tmp_path: Path) -> Iterator[Service]:
    """A service of the test's own, which the test may stop and start."""
    s = Service(tmp_path / "own.db").start()
    yield s
    s.stop()


def cli(*args: str, env: Optional[Dict[str, str]] = None, timeout: float = 60) -> "subprocess.CompletedProcess[str]":
    """The installed `rlhf-monitor` console command of this interpreter's environment."""
    exe = Path(sys.executable).parent / "rlhf-monitor"
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )
