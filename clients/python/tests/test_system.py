from __future__ import annotations

import os
import stat
import time
import uuid
from pathlib import Path

import pytest
from conftest import API_KEY, DATA, Service

from rlhf_monitor import Monitor
from rlhf_monitor.system import QUERY, SystemSampler, cpu_times, gpu_metrics, parse_gpu_csv, ram_used_gb

H200 = DATA / "nvidia-smi-h200"
# The fields of samples-under-load.csv (the README there gives the command).
LOAD_FIELDS = [
    "timestamp",
    "index",
    "uuid",
    "name",
    "utilization.gpu",
    "utilization.memory",
    "memory.used",
    "memory.total",
    "power.draw",
    "temperature.gpu",
    "clocks.current.sm",
]


def test_nounits_output_of_an_idle_h200() -> None:
    fields = "index,uuid,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu".split(",")
    rows = gpu_metrics((H200 / "query-gpu-nounits.csv").read_text(), fields)
    assert rows == [
        (
            "0",
            {
                "gpu_utilization": 0.0,
                "gpu_memory_used_gb": 0.0,
                "gpu_memory_total_gb": 150.7548,
                "gpu_power_watts": 97.02,
                "gpu_temperature_celsius": 35.0,
            },
        )
    ]


def test_h200_under_load_units_stripped() -> None:
    rows = gpu_metrics((H200 / "samples-under-load.csv").read_text(), LOAD_FIELDS)
    assert len(rows) == 25 and all(gpu == "0" for gpu, _ in rows)
    util = [m["gpu_utilization"] for _, m in rows]
    power = [m["gpu_power_watts"] for _, m in rows]
    used = [m["gpu_memory_used_gb"] for _, m in rows]
    assert max(util) == 100.0 and util.count(100.0) == 9
    assert max(power) == 697.22 and 690 < sorted(power)[-5] < 695  # the matmul loop at ~692 W
    assert max(used) == round(58361 * 1024 * 1024 / 1e9, 4)  # 58 GB allocated
    assert {m["gpu_sm_clock_mhz"] for _, m in rows} >= {1980.0, 1470.0, 345.0}


def test_not_supported_cells_are_left_out() -> None:
    rows = parse_gpu_csv("0, [N/A], 12, [Not Supported]\n", ["index", "power.draw", "utilization.gpu", "clocks.sm"])
    assert rows == [{"index": 0.0, "utilization.gpu": 12.0}]


def test_proc_parsers() -> None:
    busy, total = cpu_times("cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 1 2 3 4\n")
    assert (busy, total) == (160, 1000)
    used, tot = ram_used_gb("MemTotal:       16000000 kB\nMemFree: 1000 kB\nMemAvailable:    4000000 kB\n")
    assert (round(used, 3), round(tot, 3)) == (12.288, 16.384)


def replay_nvidia_smi(bin_dir: Path) -> None:
    """An `nvidia-smi` that answers QUERY with the H200's recorded values under load (no GPU here)."""
    fields = QUERY.split(",")
    row = (H200 / "samples-under-load.csv").read_text().splitlines()[16]  # 07:03:52.740, in the matmul loop
    rec = dict(zip(LOAD_FIELDS, (c.strip().split(" ")[0] for c in row.split(","))))
    rec["clocks.sm"] = rec["clocks.current.sm"]
    line = ", ".join(rec[f] for f in fields)
    script = bin_dir / "nvidia-smi"
    script.write_text(f'#!/bin/sh\n[ "$1" = "--query-gpu={QUERY}" ] || exit 9\necho "{line}"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_sampler_sends_gpu_cpu_and_ram(service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    replay_nvidia_smi(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    run = f"system-{uuid.uuid4().hex[:8]}"
    with Monitor(service.url, API_KEY, run, system_metrics=False) as m:
        sampler = SystemSampler(m, node="box-1")
        sampler.sample()
        time.sleep(0.3)  # a few clock ticks of /proc/stat
        sampler.sample()  # the second sample has a CPU delta
        assert m.flush(10)
    s = service.series(run)
    gpu = (("gpu", "0"), ("node", "box-1"))
    assert [v for _, v, _ in s[("gpu_utilization", gpu)]] == [100.0, 100.0]
    assert s[("gpu_power_watts", gpu)][0][1] == 691.05
    assert s[("gpu_temperature_celsius", gpu)][0][1] == 57.0
    assert s[("gpu_sm_clock_mhz", gpu)][0][1] == 1515.0
    assert s[("gpu_memory_total_gb", gpu)][0][1] == 150.7548
    host = (("node", "box-1"),)
    assert 0 <= s[("cpu_utilization", host)][0][1] <= 100
    assert 0 < s[("ram_used_gb", host)][0][1] < s[("ram_total_gb", host)][0][1]


def test_no_nvidia_smi_is_quiet(service: Service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    run = f"nogpu-{uuid.uuid4().hex[:8]}"
    with Monitor(service.url, API_KEY, run, system_metrics=False) as m:
        SystemSampler(m, node="cpu-box").sample()
        assert m.flush(10)
    assert {name for name, _ in service.series(run)} == {"ram_used_gb", "ram_total_gb"}
