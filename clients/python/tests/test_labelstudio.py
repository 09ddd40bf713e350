from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import pytest
from conftest import API_KEY, Service, cli

from rlhf_monitor import Monitor
from rlhf_monitor.labelstudio import ExportError, export_to_records

# Who labelled what: 6 tasks, 3 annotators (alice with the id form of completed_by, bob and carol expanded).
LABELS = {
    101: {"alice": "Positive", "bob": "Positive", "carol": "Positive"},
    102: {"alice": "Negative", "bob": "Negative", "carol": "Neutral"},
    103: {"alice": "Neutral", "bob": "Neutral"},
    104: {"alice": "Positive", "bob": "Negative", "carol": "Positive"},
    105: {"bob": "Negative", "carol": "Negative"},
    106: {"alice": "Neutral", "bob": "Positive", "carol": "Neutral"},
}
RATINGS = {"alice": 4, "bob": 5, "carol": 3}
USERS = {"alice": 1, "bob": 2, "carol": 3, "dave": 4}


def user(name: str) -> Union[int, Dict[str, Any]]:
    if name == "alice":
        return USERS[name]
    return {"id": USERS[name], "first_name": name.title(), "last_name": "", "email": f"{name}@example.com"}


def annotation(aid: int, task: int, name: str, result: List[Dict[str, Any]], cancelled: bool = False) -> Dict[str, Any]:
    return {
        "id": aid,
        "completed_by": user(name),
        "result": result,
        "was_cancelled": cancelled,
        "ground_truth": False,
        "created_at": "2024-05-01T10:00:00.000000Z",
        "updated_at": f"2024-05-01T10:{aid % 60:02d}:00.123456Z",
        "lead_time": 4.2,
        "task": task,
        "project": 7,
        "prediction": {},
        "result_count": len(result),
        "unique_id": str(uuid.uuid4()),
        "last_action": None,
    }


def choice(label: str) -> Dict[str, Any]:
    return {
        "id": uuid.uuid4().hex[:10],
        "type": "choices",
        "from_name": "sentiment",
        "to_name": "text",
        "origin": "manual",
        "value": {"choices": [label]},
    }


def rating(n: int) -> Dict[str, Any]:
    return {
        "id": uuid.uuid4().hex[:10],
        "type": "rating",
        "from_name": "quality",
        "to_name": "text",
        "origin": "manual",
        "value": {"rating": n},
    }


def export(with_rating: bool = False) -> List[Dict[str, Any]]:
    """A Label Studio JSON export (Export > JSON) of a text classification project."""
    tasks, aid = [], 1000
    for task, by in LABELS.items():
        anns = []
        for name, label in by.items():
            aid += 1
            anns.append(annotation(aid, task, name, [choice(label)] + ([rating(RATINGS[name])] if with_rating else [])))
        aid += 1
        anns.append(annotation(aid, task, "dave", [choice("Negative")], cancelled=True))  # skipped
        tasks.append(
            {
                "id": task,
                "data": {"text": f"review {task}"},
                "annotations": anns,
                "predictions": [],
                "drafts": [],
                "meta": {},
                "created_at": "2024-04-30T09:00:00.000000Z",
                "updated_at": "2024-05-01T11:00:00.000000Z",
                "inner_id": task - 100,
                "total_annotations": len(anns),
                "cancelled_annotations": 1,
                "project": 7,
                "file_upload": "reviews.csv",
            }
        )
    return tasks


def alpha(service: Service, dataset: str, level: Optional[str] = None) -> Dict[str, Any]:
    q: Dict[str, Any] = {"type": "agreement", "dataset": dataset}
    if level:
        q["level"] = level
    fr = next(f for f in service.query(q)["A"]["frames"] if f["schema"]["name"] == "summary")
    names = [f["name"] for f in fr["schema"]["fields"]]
    return {n: v[0] for n, v in zip(names, fr["data"]["values"])}


def test_mapping() -> None:
    recs = export_to_records(export(), "ds")
    assert len(recs) == sum(len(v) for v in LABELS.values())  # dave's cancelled annotations are not there
    first = recs[0]
    assert first == {
        "kind": "annotation",
        "dataset": "ds",
        "item": "101",
        "annotator": "1",
        "label": "Positive",
        "ts": "2024-05-01T10:41:00.123456Z",
    }
    assert {r["annotator"] for r in recs} == {"1", "bob@example.com", "carol@example.com"}


def test_several_controls_need_field() -> None:
    with pytest.raises(ExportError, match=r"several labeling controls \(quality, sentiment\): pick one with --field"):
        export_to_records(export(with_rating=True), "ds")
    ratings = export_to_records(export(with_rating=True), "ds", field="quality")
    assert {(r["annotator"], r["label"]) for r in ratings} == {
        ("1", 4.0),
        ("bob@example.com", 5.0),
        ("carol@example.com", 3.0),
    }
    with pytest.raises(ExportError, match="no choices, rating, pairwise results from control 'nope'"):
        export_to_records(export(), "ds", field="nope")


def test_pairwise() -> None:
    tasks = [
        {
            "id": 9,
            "data": {"a": "x", "b": "y"},
            "annotations": [
                annotation(
                    1,
                    9,
                    "alice",
                    [{"type": "pairwise", "from_name": "pw", "to_name": "pw", "value": {"selected": "left"}}],
                ),
                annotation(
                    2,
                    9,
                    "bob",
                    [{"type": "pairwise", "from_name": "pw", "to_name": "pw", "value": {"selected": "right"}}],
                ),
            ],
        }
    ]
    assert [r["label"] for r in export_to_records(tasks, "pairs")] == ["left", "right"]


def test_not_an_export() -> None:
    with pytest.raises(ExportError, match="a list of tasks"):
        export_to_records({"id": 1}, "ds")


def test_import_gives_the_same_alpha_as_direct_records(service: Service, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export(with_rating=True)))
    r = cli(
        "import",
        "label-studio",
        str(path),
        "--dataset",
        f"ls-{tag}",
        "--field",
        "sentiment",
        env={"RLHF_MONITOR_URL": service.url, "RLHF_API_KEY": API_KEY},
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"sent": 16}
    direct = {"alice": "1", "bob": "bob@example.com", "carol": "carol@example.com"}
    with Monitor(service.url, API_KEY, system_metrics=False) as m:
        for task, by in LABELS.items():
            for name, label in by.items():
                m.annotation(f"direct-{tag}", str(task), direct[name], label, ts="2024-05-01T10:00:00Z")
        assert m.flush(10)
    imported, sent = alpha(service, f"ls-{tag}"), alpha(service, f"direct-{tag}")
    assert imported["krippendorff_alpha"] is not None
    assert imported["krippendorff_alpha"] == pytest.approx(sent["krippendorff_alpha"], abs=1e-12)
    assert (imported["items"], imported["annotators"]) == (6, 3)


def test_bad_export_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export(with_rating=True)))
    r = cli("import", "label-studio", str(path), "--dataset", "x", "--url", "http://127.0.0.1:9")
    assert r.returncode == 2 and "pick one with --field" in r.stderr
