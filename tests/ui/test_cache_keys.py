"""The disk cache never serves an answer the code would no longer give.

The predictions' answers are computed by the engine and cached with the course. They used to be
keyed by the scenarios alone: an upgrade that changed the DLQ rule in engine/sqs.py kept serving
the old answers. The key now covers the studyaws version and every module that computes what is
cached (`code_files`): the engine, the sandbox, the scenario runner, the content reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studyaws.engine.sqs import Sqs
from studyaws.ui import cache
from studyaws.ui.course import all_questions, load
from studyaws.ui.env import Env

PACKAGE = Path(cache.__file__).resolve().parents[1]


def where_is_it(env: Env) -> object:
    course = load(env)
    [q] = [q for q in all_questions(env, course) if q.id == "scenario:dlq:where-is-it"]
    return dict(q.choices)[str(q.answer)]


def test_every_module_that_computes_an_answer_is_in_the_key() -> None:
    files = set(cache.code_files())
    for package in ("engine", "sandbox", "scenarios", "content"):
        for path in (PACKAGE / package).rglob("*.py"):
            assert path in files, path


def test_an_engine_rule_changed_by_an_upgrade_changes_the_cached_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = Env.for_test(data_dir=tmp_path / "home")
    env.cache_dir = tmp_path / "cache"
    assert where_is_it(env) == "orders-dlq"
    assert any((tmp_path / "cache").iterdir())  # the answers are cached now

    # The rule changes (a message past maxReceiveCount is never moved) ...
    monkeypatch.setattr(Sqs, "_move_to_dlq", lambda self, queue, msg: False)
    # ... but with the same code on disk the key is the same: the cache answers, as it should
    # (this is what proves the answer came from the cache).
    assert where_is_it(env) == "orders-dlq"

    # An upgrade changes the engine's files: a new key, and the new rule's answer.
    upgraded = tmp_path / "sqs.py"
    upgraded.write_text("# studyaws 0.2: the DLQ rule changed\n", encoding="utf-8")
    real = cache.code_files()
    monkeypatch.setattr(cache, "code_files", lambda: [*real, upgraded])
    assert where_is_it(env) == "orders"
