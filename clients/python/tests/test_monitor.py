from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
from conftest import API_KEY, Service

from rlhf_monitor import Monitor


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_every_record_kind_reaches_the_service(service: Service) -> None:
    run = unique("kinds")
    with Monitor(service.url, API_KEY, run, system_metrics=False) as m:
        m.log({"loss": 0.5, "objective/kl": 0.125, "note": "text", "nan": float("nan"), "flag": True}, step=3)
        m.log({"gpu_utilization": 87.0}, labels={"node": "n1", "gpu": "0"}, ts=1_700_000_000.5)
        m.annotation(f"{run}-ds", "item-1", "alice", "A")
        m.prediction(f"{run}-model", 0.75, True, item="q1")
        m.sample(f"{run}-len", "training", 12.0)
        m.event(f"{run}: training started", "max_steps=10", ["training", run], "training")
        assert m.flush(10)
        assert m.sent == 7 and m.dropped == 0
    s = service.series(run)
    assert s[("loss", ())] == [(3, 0.5, s[("loss", ())][0][2])]
    assert [v for _, v, _ in s[("objective/kl", ())]] == [0.125]
    assert ("note", ()) not in s and ("nan", ()) not in s and ("flag", ()) not in s  # not finite numbers
    assert s[("gpu_utilization", (("gpu", "0"), ("node", "n1")))] == [(None, 87.0, 1_700_000_000_500)]
    titles = [e["title"] for e in service.events(run)]
    assert titles == [f"{run}: training started"]


def test_a_rejected_batch_is_counted_not_retried(service: Service, caplog: pytest.LogCaptureFixture) -> None:
    with Monitor(service.url, API_KEY, unique("bad"), system_metrics=False) as m:
        m.log({"x" * 600: 1.0}, step=1)  # names are limited to 512 characters: the service answers 400
        assert m.flush(10)
        assert m.rejected == 1 and m.sent == 0
        assert "must be at most 512 characters" in (m.last_error or "")


def test_one_invalid_record_does_not_cost_the_rest_of_its_batch(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="rlhf_monitor")
    run = unique("mixed")
    with Monitor(service.url, API_KEY, run, system_metrics=False) as m:
        m.log({"loss": 1.0}, step=1)
        m.prediction(f"{run}-model", 1.5, True)  # confidence outside [0, 1]: the service names its line
        m.log({"loss": 0.5}, step=2)
        m.prediction(f"{run}-model", "not a number", True)  # type: ignore[arg-type]  # dropped here, no raise
        m.log(None, step=3)  # type: ignore[arg-type]
        assert m.flush(10)
        assert (m.sent, m.rejected) == (2, 1)
    rejected = [r.getMessage() for r in caplog.records if "rejected a record" in r.getMessage()]
    assert len(rejected) == 1 and 'line 2: field "confidence" expected a number in [0, 1]' in rejected[0]
    assert [(st, v) for st, v, _ in service.series(run)[("loss", ())]] == [(1, 1.0), (2, 0.5)]


def test_wrong_key_is_reported(service: Service) -> None:
    with Monitor(service.url, "wrong", unique("key"), system_metrics=False) as m:
        m.log({"loss": 1.0}, step=1)
        assert m.flush(10)
        assert m.rejected == 1 and "wrong API key" in (m.last_error or "")


def test_service_down_queue_bounded_drops_counted_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="rlhf_monitor")
    m = Monitor(closed_port_url(), None, "down", max_queue=10, batch_size=4, system_metrics=False)
    for i in range(30):
        m.log({"loss": float(i)}, step=i)
    assert m.dropped >= 16  # at most 10 queued + one batch of 4 in flight
    started = time.monotonic()
    assert m.close(timeout=0.5) is False
    assert time.monotonic() - started < 2
    drops = [r for r in caplog.records if "queue full" in r.getMessage()]
    assert len(drops) == 1
    m.log({"loss": 1.0}, step=99)  # after close: ignored, no error


def test_retried_until_the_service_is_back(own_service: Service) -> None:
    run = unique("retry")
    m = Monitor(own_service.url, API_KEY, run, max_backoff=0.5, system_metrics=False)
    own_service.stop()
    for i in range(5):
        m.log({"loss": 1.0 / (i + 1)}, step=i)
    assert m.flush(1.5) is False  # nobody listening
    own_service.start()  # same store, same port
    assert m.flush(15)
    m.close()
    got = own_service.series(run)[("loss", ())]
    assert [(st, v) for st, v, _ in got] == [(i, 1.0 / (i + 1)) for i in range(5)]


def test_backoff_holds_while_the_service_answers_503() -> None:
    """An overloaded service (503) is retried with growing pauses, however often the trainer logs."""
    import http.server
    import threading

    hits: list = []

    class Busy(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
            hits.append(time.monotonic())
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b'{"error":"overloaded"}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Busy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        m = Monitor(f"http://127.0.0.1:{server.server_address[1]}", None, "busy", system_metrics=False)
        for i in range(40):  # 2 s of a trainer logging every 50 ms
            m.log({"loss": 1.0}, step=i)
            m.send_now()
            time.sleep(0.05)
        assert 3 <= len(hits) <= 6  # pauses of 0.25, 0.5, 1, 2 s: not one request per log
        assert "HTTP 503: overloaded" in (m.last_error or "")
        assert m.close(0.2) is False
    finally:
        server.shutdown()


SCRIPT = """
import sys, time
from rlhf_monitor import Monitor
m = Monitor(sys.argv[1], sys.argv[2], sys.argv[3], exit_timeout=float(sys.argv[4]))
for i in range(50):
    m.log({"reward": i * 0.5}, step=i)
# no close(): the interpreter's exit flushes
"""


def test_interpreter_exit_flushes(service: Service) -> None:
    run = unique("atexit")
    subprocess.run([sys.executable, "-c", SCRIPT, service.url, API_KEY, run, "10"], check=True, timeout=60)
    got = service.series(run)[("reward", ())]
    assert [(st, v) for st, v, _ in got] == [(i, i * 0.5) for i in range(50)]


def test_interpreter_exit_waits_at_most_exit_timeout_when_unreachable() -> None:
    started = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT, closed_port_url(), "k", "down", "1"], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0
    assert time.monotonic() - started < 10  # 1 s exit wait + interpreter start
    assert "records not sent" in r.stderr


def test_environment_defaults(monkeypatch: pytest.MonkeyPatch, service: Service) -> None:
    monkeypatch.setenv("RLHF_MONITOR_URL", service.url)
    monkeypatch.setenv("RLHF_API_KEY", API_KEY)
    run = unique("env")
    with Monitor(run=run, system_metrics=False) as m:
        m.log({"loss": 2.0}, step=0)
        assert m.flush(10) and m.sent == 1
    monkeypatch.delenv("RLHF_MONITOR_URL")
    default = Monitor(system_metrics=False)
    assert default.transport.url == "http://127.0.0.1:8400"
    default.close(0)
    assert os.environ.get("RLHF_MONITOR_URL") is None


def test_a_retry_after_a_lost_answer_is_stored_once(service: Service) -> None:
    """The first try is stored but its answer never arrives (a timeout): the retry carries the same
    Idempotency-Key and the service does not store the batch again (samples have no identity of their own)."""
    import http.server
    import threading
    import urllib.request

    keys: list = []

    class LosesFirstAnswer(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            keys.append(self.headers.get("Idempotency-Key"))
            forward = urllib.request.Request(service.url + self.path, data=body, method="POST")
            for name in ("Content-Type", "Authorization", "Idempotency-Key"):
                if self.headers.get(name):
                    forward.add_header(name, self.headers[name])
            with urllib.request.urlopen(forward) as res:
                answer = res.read()
            if len(keys) == 1:
                return  # stored, but the client never hears back: it sees a broken connection and retries
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), LosesFirstAnswer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feature = unique("retried")
    try:
        m = Monitor(f"http://127.0.0.1:{server.server_address[1]}", API_KEY, "retry", system_metrics=False)
        for v in range(5):
            m.sample(feature, "training", float(v))
        assert m.close(10) is True
    finally:
        server.shutdown()
    assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) == 32
    drift = service.query({"type": "drift", "feature": feature, "reference": "training", "current": "training"})
    summary = next(f for f in drift["A"]["frames"] if f["schema"]["name"] == "summary")
    counts = {f["name"]: v[0] for f, v in zip(summary["schema"]["fields"], summary["data"]["values"])}
    assert counts["reference_count"] == 5
