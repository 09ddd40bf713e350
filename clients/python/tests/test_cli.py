from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

from conftest import API_KEY, Service, cli


def test_ndjson_import(service: Service, tmp_path: Path) -> None:
    run = f"nd-{uuid.uuid4().hex[:8]}"
    path = tmp_path / "records.ndjson"
    path.write_text(
        "".join(
            json.dumps({"kind": "metric", "run": run, "name": "loss", "value": 1 / (i + 1), "step": i}) + "\n"
            for i in range(7)
        )
        + "\n"
    )
    r = cli("import", "ndjson", str(path), env={"RLHF_MONITOR_URL": service.url, "RLHF_API_KEY": API_KEY})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"sent": 7}
    assert [st for st, _, _ in service.series(run)[("loss", ())]] == list(range(7))


def test_bad_records_and_bad_key_say_why(service: Service, tmp_path: Path) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_text('{"kind":"metric","run":"r","name":"loss","value":1}\n{"kind":"metric","run":"r","name":"x"}\n')
    r = cli("import", "ndjson", str(path), "--url", service.url, "--key", API_KEY)
    assert r.returncode == 1
    assert 'HTTP 400: line 2: field "value" is required' in r.stderr
    r = cli("import", "ndjson", str(path), "--url", service.url, "--key", "wrong")
    assert r.returncode == 1 and "HTTP 401" in r.stderr and "wrong API key" in r.stderr


def test_unreachable_service_and_usage(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{}")
    r = cli("import", "label-studio", str(path))  # --dataset missing
    assert r.returncode == 2 and "--dataset" in r.stderr
    r = subprocess.run([sys.executable, "-m", "rlhf_monitor", "import", "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for source in ("trainer-state", "tensorboard", "label-studio", "ndjson"):
        assert source in r.stdout


def test_callback_sends_only_from_the_main_process() -> None:
    from rlhf_monitor import RLHFMonitorCallback

    cb = RLHFMonitorCallback("worker", "http://127.0.0.1:9")
    args = SimpleNamespace(output_dir="/tmp/x", run_name=None)
    state = SimpleNamespace(is_world_process_zero=False, global_step=1, max_steps=10)
    cb.on_train_begin(args, state, None)
    cb.on_log(args, state, None, logs={"loss": 1.0})
    cb.on_save(args, state, None)
    cb.on_train_end(args, state, None)
    assert cb.monitor is None


def python39() -> str:
    import glob
    import shutil

    import pytest

    # pyenv's shim answers "command not found" unless 3.9 is selected: try the interpreters themselves too.
    for exe in [
        shutil.which("python3.9"),
        *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.9*/bin/python3.9"))),
    ]:
        if exe and subprocess.run([exe, "-c", "pass"], capture_output=True).returncode == 0:
            return exe
    pytest.skip("no Python 3.9 interpreter on this machine")


def test_runs_on_python_3_9_with_the_standard_library_only(service: Service, tmp_path: Path) -> None:
    """The package as a 3.9 interpreter without site-packages sees it (-S: no transformers, nothing else)."""
    src = Path(__file__).resolve().parents[1] / "src"
    run = f"py39-{uuid.uuid4().hex[:8]}"
    code = (
        f"import sys; sys.path.insert(0, {str(src)!r}); from rlhf_monitor import Monitor\n"
        f"m = Monitor({service.url!r}, {API_KEY!r}, {run!r}, system_metrics=True)\n"
        "m.log({'loss': 0.25}, step=2)\nassert m.close(10)\n"
    )
    r = subprocess.run([python39(), "-S", "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert service.series(run)[("loss", ())][0][:2] == (2, 0.25)
