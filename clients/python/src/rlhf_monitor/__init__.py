"""Send live metrics and records from training and labeling jobs to the RLHF Pipeline Monitor service."""

from typing import Any

from .monitor import Monitor
from .transport import ServiceError

__all__ = ["Monitor", "RLHFMonitorCallback", "ServiceError"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # transformers is imported only by those who use the callback.
    if name == "RLHFMonitorCallback":
        from .callback import RLHFMonitorCallback

        return RLHFMonitorCallback
    raise AttributeError(f"module 'rlhf_monitor' has no attribute {name!r}")
