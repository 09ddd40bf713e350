"""Cost of RLHFMonitorCallback.on_log on the training thread, per logged step, with the service up and down.

Prints one JSON line per figure. Usage: python callback_bench.py URL_OF_A_RUNNING_SERVICE [API_KEY]
"""

from __future__ import annotations

import gc
import json
import socket
import statistics
import sys
import time
from types import SimpleNamespace

from rlhf_monitor import RLHFMonitorCallback

STEPS = 2000
# One TRL DPO log dict (the keys of TRL 1.13's DPOTrainer; values as the trainer hands them over).
LOGS = {
    "loss": 0.6931,
    "grad_norm": 1.278,
    "learning_rate": 0.001,
    "entropy": 3.124,
    "num_tokens": 68.0,
    "logits/chosen": 0.017,
    "logits/rejected": 0.0143,
    "mean_token_accuracy": 0.0,
    "rewards/chosen": 0.0,
    "rewards/rejected": 0.0,
    "rewards/accuracies": 0.0,
    "rewards/margins": 0.0,
    "logps/chosen": -15.76,
    "logps/rejected": -12.65,
    "epoch": 0.125,
}


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def bench(service: str, url: str, key: str, close_timeout: float) -> None:
    args = SimpleNamespace(
        output_dir="/tmp/bench",
        run_name=f"bench-callback-{service}",
        learning_rate=1e-3,
        per_device_train_batch_size=4,
        gradient_accumulation_steps=1,
        world_size=1,
        num_train_epochs=1,
    )
    state = SimpleNamespace(is_world_process_zero=True, global_step=0, max_steps=STEPS)
    cb = RLHFMonitorCallback(url=url, api_key=key, system_metrics=False, close_timeout=close_timeout)
    cb.on_train_begin(args, state, None)
    times = []
    # A full garbage collection after importing transformers walks millions of objects (~0.5 s here); it falls
    # on whichever allocation comes next, in any training loop, so it is done before measuring.
    gc.collect()
    for step in range(1, STEPS + 1):
        state.global_step = step
        logs = dict(LOGS, loss=LOGS["loss"] / step)
        t0 = time.perf_counter()
        cb.on_log(args, state, None, logs=logs)
        times.append(time.perf_counter() - t0)
        time.sleep(0.0005)  # the training step, during which the sender thread runs
    monitor = cb.monitor
    assert monitor is not None
    t0 = time.perf_counter()
    cb.on_train_end(args, state, None)
    slowest = max(range(STEPS), key=times.__getitem__) + 1
    times.sort()
    print(
        json.dumps(
            {
                "bench": "python_callback_on_log",
                "service": service,
                "steps": STEPS,
                "metrics_per_step": len(LOGS) + 1,
                "mean_us": round(statistics.fmean(times) * 1e6, 1),
                "p50_us": round(times[len(times) // 2] * 1e6, 1),
                "p99_us": round(times[int(0.99 * len(times))] * 1e6, 1),
                "max_us": round(times[-1] * 1e6, 1),
                "max_at_step": slowest,
                "goal_us": 1000,
                "sent": monitor.sent,
                "dropped": monitor.dropped,
                "train_end_wait_s": round(time.perf_counter() - t0, 3),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    bench("up", sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "", 10.0)
    bench("down", closed_port_url(), "", 1.0)  # end of training waits at most close_timeout
