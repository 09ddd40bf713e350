"""Label Studio JSON exports -> annotation records (item = task id, annotator = who completed it)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from .transport import Record

Label = Union[str, float]


class ExportError(ValueError):
    pass


def _annotator(completed_by: Any) -> str:
    """`completed_by` is a user id, or (with "expanded" exports) the user object."""
    if isinstance(completed_by, dict):
        for key in ("email", "username", "id"):
            if completed_by.get(key) not in (None, ""):
                return str(completed_by[key])
        raise ExportError("completed_by object without email, username or id")
    if completed_by is None:
        raise ExportError("annotation without completed_by")
    return str(completed_by)


def _label(result: Dict[str, Any]) -> Optional[Label]:
    value = result.get("value") or {}
    kind = result.get("type")
    if kind == "choices" and value.get("choices"):
        return "|".join(str(c) for c in value["choices"])  # several choices of one control: one label
    if kind == "rating" and isinstance(value.get("rating"), (int, float)):
        return float(value["rating"])
    if kind == "pairwise" and value.get("selected"):
        return str(value["selected"])
    return None


SUPPORTED = ("choices", "rating", "pairwise")


def export_to_records(tasks: Any, dataset: str, field: Optional[str] = None) -> List[Record]:
    """Annotation records of a Label Studio JSON export (a list of tasks with their `annotations`).

    Cancelled annotations (`was_cancelled`) are skipped. With several labeling controls (`from_name`) of a
    supported type (choices, rating, pairwise), `field` must name the one to import.
    """
    if isinstance(tasks, dict) and isinstance(tasks.get("tasks"), list):
        tasks = tasks["tasks"]
    if not isinstance(tasks, list):
        raise ExportError('expected a Label Studio JSON export: a list of tasks, each with an "annotations" list')
    controls = sorted(
        {
            str(r.get("from_name"))
            for t in tasks
            if isinstance(t, dict)
            for a in t.get("annotations") or []
            if isinstance(a, dict)
            for r in a.get("result") or []
            if isinstance(r, dict) and r.get("type") in SUPPORTED
        }
    )
    if field is None and len(controls) > 1:
        raise ExportError(f"the export has several labeling controls ({', '.join(controls)}): pick one with --field")
    if field is not None and field not in controls:
        raise ExportError(
            f"no {', '.join(SUPPORTED)} results from control {field!r}; the export has: {', '.join(controls) or 'none'}"
        )
    out: List[Record] = []
    for t in tasks:
        if not isinstance(t, dict) or "id" not in t:
            raise ExportError('every task needs an "id"')
        for a in t.get("annotations") or []:
            if a.get("was_cancelled"):
                continue
            for r in a.get("result") or []:
                if r.get("type") not in SUPPORTED or (field is not None and r.get("from_name") != field):
                    continue
                label = _label(r)
                if label is None:
                    continue
                rec: Record = {
                    "kind": "annotation",
                    "dataset": dataset,
                    "item": str(t["id"]),
                    "annotator": _annotator(a.get("completed_by")),
                    "label": label,
                }
                ts = a.get("updated_at") or a.get("created_at")
                if ts:
                    rec["ts"] = ts
                out.append(rec)
                break
    return out
