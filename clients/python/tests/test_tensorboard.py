from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from conftest import API_KEY, Service

from rlhf_monitor import tensorboard as tb

torch = pytest.importorskip("torch")
SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter


def test_crc32c_reference_vectors() -> None:
    # RFC 3720 (iSCSI) B.4 test vectors and the usual check value.
    assert tb.crc32c(b"123456789") == 0xE3069283
    assert tb.crc32c(bytes(32)) == 0x8A9136AA
    assert tb.crc32c(b"\xff" * 32) == 0x62A8AB43
    assert tb.crc32c(bytes(range(32))) == 0x46DD794E


def test_crc32c_every_length_against_the_bitwise_definition() -> None:
    import random

    def bitwise(data: bytes) -> int:
        crc = 0xFFFFFFFF
        for b in data:
            crc ^= b
            for _ in range(8):
                crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
        return crc ^ 0xFFFFFFFF

    rng = random.Random(1)
    for n in range(70):  # every remainder mod 8, several 8-byte blocks
        data = bytes(rng.randrange(256) for _ in range(n))
        assert tb.crc32c(data) == bitwise(data), n


def write_run(logdir: Path, steps: range, new_style: bool = False) -> None:
    w = SummaryWriter(str(logdir))
    for s in steps:
        w.add_scalar("train/loss", 1.0 / (s + 1), s, new_style=new_style)
        w.add_scalar("objective/kl", s * 0.01, s, new_style=new_style)
        w.add_text("note", f"step {s}", s)  # not a scalar: ignored
        w.add_histogram("weights", torch.tensor([0.1 * s, 0.2, 0.3]), s)  # not a scalar: ignored
    w.close()


def reference(logdir: Path) -> List[Tuple[str, int, float, float]]:
    """TensorBoard's own reader, for comparison."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    out = []
    for f in tb.event_files(str(logdir)):
        acc = EventAccumulator(f, size_guidance={"scalars": 0, "tensors": 0})
        acc.Reload()
        for tag in acc.Tags()["scalars"]:
            out += [(tag, e.step, e.wall_time, e.value) for e in acc.Scalars(tag)]
        for tag in acc.Tags()["tensors"]:
            for e in acc.Tensors(tag):
                if e.tensor_proto.dtype == 1 and not e.tensor_proto.tensor_shape.dim:
                    import tensorboard.util.tensor_util as tu

                    out.append((tag, e.step, e.wall_time, float(tu.make_ndarray(e.tensor_proto).item())))
    return sorted(out)


@pytest.mark.parametrize("new_style", [False, True])
def test_reader_matches_tensorboard(tmp_path: Path, new_style: bool) -> None:
    write_run(tmp_path / "a", range(20), new_style)
    ours = sorted(
        (s.tag, s.step, s.wall_time, s.value) for _, s in tb.read_scalars(tb.event_files(str(tmp_path / "a"))[0])
    )
    assert len(ours) == 40
    assert ours == reference(tmp_path / "a")


def series_points(service: Service, run: str) -> Dict[str, List[Tuple[int, float]]]:
    return {name: [(st, v) for st, v, _ in pts] for (name, _), pts in service.series(run).items()}


def test_import_one_run_per_subdirectory(service: Service, tmp_path: Path) -> None:
    from conftest import cli

    tag = uuid.uuid4().hex[:8]
    logdir = tmp_path / f"logs-{tag}"
    write_run(logdir / "ppo", range(10))
    write_run(logdir / "dpo" / "seed1", range(5), new_style=True)
    r = cli("import", "tensorboard", str(logdir), "--url", service.url, "--key", API_KEY)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"sent": 30, "files": 2}
    ppo = series_points(service, "ppo")
    assert ppo["train/loss"] == [(s, pytest.approx(1.0 / (s + 1), rel=1e-6)) for s in range(10)]
    assert [st for st, _ in series_points(service, "dpo/seed1")["objective/kl"]] == list(range(5))
    r = cli("import", "tensorboard", str(logdir / "ppo"), "--run", f"one-{tag}", "--url", service.url, "--key", API_KEY)
    assert r.returncode == 0 and set(series_points(service, f"one-{tag}")) == {"train/loss", "objective/kl"}


def follower(logdir: Path, state: Path, service: Service, run: str) -> "subprocess.Popen[str]":
    exe = Path(sys.executable).parent / "rlhf-monitor"
    return subprocess.Popen(
        [
            str(exe),
            "import",
            "tensorboard",
            str(logdir),
            "--follow",
            "--run",
            run,
            "--state",
            str(state),
            "--poll",
            "0.2",
            "--url",
            service.url,
            "--key",
            API_KEY,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_steps(service: Service, run: str, n: int, timeout: float = 20) -> List[int]:
    deadline = time.monotonic() + timeout
    steps: List[int] = []
    while time.monotonic() < deadline:
        steps = [st for st, _ in series_points(service, run).get("train/loss", [])]
        if len(steps) >= n:
            return steps
        time.sleep(0.2)
    return steps


def test_follow_tails_and_resumes_without_resending(service: Service, tmp_path: Path) -> None:
    run = f"follow-{uuid.uuid4().hex[:8]}"
    logdir, state = tmp_path / "logs", tmp_path / "state.json"
    w = SummaryWriter(str(logdir), flush_secs=1)
    f = follower(logdir, state, service, run)
    try:
        for s in range(5):
            w.add_scalar("train/loss", float(s), s)
        w.flush()
        assert wait_for_steps(service, run, 5) == [0, 1, 2, 3, 4]  # sent while the writer is still open
        for s in range(5, 8):
            w.add_scalar("train/loss", float(s), s)
        w.flush()
        assert wait_for_steps(service, run, 8) == list(range(8))
    finally:
        f.send_signal(signal.SIGTERM)
        f.wait(10)
    assert f.returncode == 0, f.stderr.read() if f.stderr else ""
    saved = json.loads(state.read_text())["offsets"]
    assert list(saved.values()) == [Path(tb.event_files(str(logdir))[0]).stat().st_size]
    for s in range(8, 12):  # written while no follower runs
        w.add_scalar("train/loss", float(s), s)
    w.close()
    f = follower(logdir, state, service, run)
    try:
        assert wait_for_steps(service, run, 12) == list(range(12))
        first = f.stdout.readline() if f.stdout else ""
        assert json.loads(first)["sent"] == 4  # only what was written after the first follower stopped
    finally:
        f.send_signal(signal.SIGTERM)
        f.wait(10)
    assert wait_for_steps(service, run, 12) == list(range(12))


def test_reimport_without_state_stores_no_duplicates(service: Service, tmp_path: Path) -> None:
    """Sending the same file twice is idempotent in the service (points unique per run, name, labels, step)."""
    from conftest import cli

    run = f"twice-{uuid.uuid4().hex[:8]}"
    write_run(tmp_path / "logs", range(6))
    for _ in range(2):
        r = cli("import", "tensorboard", str(tmp_path / "logs"), "--run", run, "--url", service.url, "--key", API_KEY)
        assert r.returncode == 0, r.stderr
    assert [st for st, _ in series_points(service, run)["train/loss"]] == list(range(6))


def test_corrupt_file_reports_file_and_offset(tmp_path: Path) -> None:
    from conftest import cli

    write_run(tmp_path / "logs", range(5))
    path = Path(tb.event_files(str(tmp_path / "logs"))[0])
    data = bytearray(path.read_bytes())
    # Walk the framing to the third record and flip one byte of its payload.
    offset = 0
    for _ in range(2):
        (length,) = __import__("struct").unpack("<Q", data[offset : offset + 8])
        offset += 12 + length + 4
    data[offset + 12 + 3] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(tb.CorruptRecord) as e:
        list(tb.read_scalars(str(path)))
    assert e.value.offset == offset and e.value.path == str(path)
    r = cli("import", "tensorboard", str(tmp_path / "logs"), "--url", "http://127.0.0.1:9")
    assert r.returncode == 2
    assert f"{path}: corrupt record at byte offset {offset}: data CRC mismatch" in r.stderr


def test_follow_waits_out_a_service_outage(own_service: Service, tmp_path: Path) -> None:
    run = f"outage-{uuid.uuid4().hex[:8]}"
    logdir, state = tmp_path / "logs", tmp_path / "state.json"
    w = SummaryWriter(str(logdir), flush_secs=1)
    f = follower(logdir, state, own_service, run)
    try:
        w.add_scalar("train/loss", 0.0, 0)
        w.flush()
        assert wait_for_steps(own_service, run, 1) == [0]
        own_service.stop()
        for s in range(1, 4):
            w.add_scalar("train/loss", float(s), s)
        w.flush()
        time.sleep(1.5)  # the follower reads them and retries against nobody
        assert f.poll() is None
        own_service.start()  # same store and port
        assert wait_for_steps(own_service, run, 4) == [0, 1, 2, 3]
    finally:
        w.close()
        f.send_signal(signal.SIGTERM)
        f.wait(10)
    assert f.returncode == 0
