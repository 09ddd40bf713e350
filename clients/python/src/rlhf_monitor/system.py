"""System metrics of the training box, as W&B samples them: nvidia-smi per GPU, CPU and RAM from /proc."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from .monitor import Monitor

# nvidia-smi --query-gpu field -> metric name (the Training dashboard's System row) and scale to the metric's unit.
MIB_TO_GB = 1024 * 1024 / 1e9
GPU_FIELDS: Sequence[Tuple[str, str, float]] = (
    ("utilization.gpu", "gpu_utilization", 1.0),
    ("memory.used", "gpu_memory_used_gb", MIB_TO_GB),
    ("memory.total", "gpu_memory_total_gb", MIB_TO_GB),
    ("power.draw", "gpu_power_watts", 1.0),
    ("temperature.gpu", "gpu_temperature_celsius", 1.0),
    ("clocks.sm", "gpu_sm_clock_mhz", 1.0),
)
QUERY = "index," + ",".join(f for f, _, _ in GPU_FIELDS)
UNITS = ("%", "MiB", "W", "MHz", "C")


def _value(text: str) -> Optional[float]:
    """`97.02`, `100 %`, `690.51 W`; None for `[N/A]`, `[Not Supported]` and the like."""
    t = text.strip()
    for u in UNITS:
        if t.endswith(" " + u):
            t = t[: -len(u) - 1]
            break
    try:
        return float(t)
    except ValueError:
        return None


def parse_gpu_csv(text: str, fields: Sequence[str]) -> List[Dict[str, float]]:
    """Rows of `nvidia-smi --query-gpu=<fields> --format=csv,noheader[,nounits]` as {field: number}.

    Units (`100 %`, `690.51 W`) are stripped; cells that are not numbers (uuid, name, `[N/A]`,
    `[Not Supported]`) are left out.
    """
    out: List[Dict[str, float]] = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != len(fields):
            continue
        row: Dict[str, float] = {}
        for f, c in zip(fields, cells):
            v = _value(c)
            if v is not None:
                row[f] = v
        out.append(row)
    return out


def gpu_metrics(text: str, fields: Sequence[str] = QUERY.split(",")) -> List[Tuple[str, Dict[str, float]]]:
    """nvidia-smi rows as (gpu index, {metric name: value}) in the dashboard's units (GB, W, C, MHz, %)."""
    names = {f: (n, k) for f, n, k in GPU_FIELDS}
    names["clocks.current.sm"] = names["clocks.sm"]
    out = []
    for row in parse_gpu_csv(text, fields):
        if "index" in row:
            gpu = str(int(row.pop("index")))
            out.append((gpu, {names[f][0]: round(v * names[f][1], 4) for f, v in row.items() if f in names}))
    return out


def cpu_times(stat: str) -> Tuple[int, int]:
    """(busy, total) jiffies from the `cpu` line of /proc/stat (idle + iowait count as idle)."""
    for line in stat.splitlines():
        if line.startswith("cpu "):
            v = [int(x) for x in line.split()[1:]]
            total = sum(v[:8])  # guest time is already inside user/nice
            idle = v[3] + (v[4] if len(v) > 4 else 0)
            return total - idle, total
    raise ValueError("no cpu line in /proc/stat")


def ram_used_gb(meminfo: str) -> Tuple[float, float]:
    """(used, total) GB from /proc/meminfo: used = MemTotal - MemAvailable, as `free` shows."""
    kb: Dict[str, int] = {}
    for line in meminfo.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts:
            kb[key] = int(parts[0])
    total = kb["MemTotal"] * 1024 / 1e9
    return total - kb.get("MemAvailable", kb.get("MemFree", 0)) * 1024 / 1e9, total


def _read(path: str) -> Optional[str]:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


class SystemSampler:
    """Samples every `interval` seconds on its own daemon thread and logs through the monitor."""

    def __init__(self, monitor: "Monitor", interval: float = 10.0, node: Optional[str] = None) -> None:
        self.monitor = monitor
        self.interval = interval
        self.node = node or socket.gethostname()
        self.nvidia_smi = shutil.which("nvidia-smi")
        self._stop = threading.Event()
        self._cpu: Optional[Tuple[int, int]] = None
        self._thread = threading.Thread(target=self._loop, name="rlhf-monitor-system", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def sample(self) -> None:
        host = {"node": self.node}
        if self.nvidia_smi:
            try:
                out = subprocess.run(
                    [self.nvidia_smi, f"--query-gpu={QUERY}", "--format=csv,noheader,nounits"],
                    capture_output=True,
                    text=True,
                    timeout=5,
                    check=True,
                ).stdout
            except (OSError, subprocess.SubprocessError):
                out = ""  # a broken driver must not take the job down
            for gpu, values in gpu_metrics(out):
                self.monitor.log(values, labels={"node": self.node, "gpu": gpu})
        stat = _read("/proc/stat")
        if stat:
            busy, total = cpu_times(stat)
            if self._cpu and total > self._cpu[1]:
                share = 100.0 * (busy - self._cpu[0]) / (total - self._cpu[1])
                self.monitor.log({"cpu_utilization": round(share, 2)}, labels=host)
            self._cpu = (busy, total)
        mem = _read("/proc/meminfo")
        if mem:
            used, total_gb = ram_used_gb(mem)
            self.monitor.log({"ram_used_gb": round(used, 3), "ram_total_gb": round(total_gb, 3)}, labels=host)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.sample()
            except Exception:
                pass
            self._stop.wait(self.interval)
