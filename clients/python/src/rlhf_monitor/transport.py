"""HTTP to the service: one POST per batch of records, standard library only."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any, Dict, Iterable, Mapping, Optional

DEFAULT_URL = "http://127.0.0.1:8400"

Record = Dict[str, Any]


class ServiceError(Exception):
    """The service answered with an error status; `retryable` for 429 and 5xx."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message
        self.retryable = status == 429 or status >= 500


def resolve_url(url: Optional[str]) -> str:
    return (url or os.environ.get("RLHF_MONITOR_URL") or DEFAULT_URL).rstrip("/")


def resolve_key(api_key: Optional[str]) -> Optional[str]:
    return api_key or os.environ.get("RLHF_API_KEY") or None


class Transport:
    """Posts to `{url}/api/v1/...` with the Bearer key. Raises ServiceError or OSError (unreachable)."""

    def __init__(self, url: Optional[str] = None, api_key: Optional[str] = None, timeout: float = 10.0) -> None:
        self.url = resolve_url(url)
        self._key = resolve_key(api_key)
        self.timeout = timeout

    def post(
        self, path: str, body: bytes, content_type: str, idempotency_key: Optional[str] = None
    ) -> Mapping[str, Any]:
        headers = {"Content-Type": content_type, "User-Agent": "rlhf-monitor-python"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        req = urllib.request.Request(self.url + path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                payload = res.read()
        except urllib.error.HTTPError as e:
            raise ServiceError(e.code, _error_text(e.read())) from None
        answer = json.loads(payload or b"{}")
        return answer if isinstance(answer, dict) else {}

    def send(self, records: Iterable[Record], idempotency_key: Optional[str] = None) -> int:
        """POST records as NDJSON to /api/v1/ingest; returns the number the service accepted. Retries of one batch
        carry the same `idempotency_key`: a batch whose first try timed out after it was stored is stored once."""
        body = "".join(json.dumps(r, separators=(",", ":"), allow_nan=False) + "\n" for r in records)
        answer = self.post("/api/v1/ingest", body.encode(), "application/x-ndjson", idempotency_key)
        return int(answer.get("accepted", 0))


def _error_text(payload: bytes) -> str:
    try:
        answer = json.loads(payload)
        if isinstance(answer, dict) and "error" in answer:
            return str(answer["error"])
    except ValueError:
        pass
    return payload.decode(errors="replace")[:500]
