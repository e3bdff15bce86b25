"""bot.crf.QuickLoadCRFEntityExtractor: the project's CRF, loaded without training it again, predicts exactly
as when Rasa's own load trains it again from the stored data."""
from __future__ import annotations

import asyncio
import re
import tarfile

import pytest
import yaml
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor

from bot.crf import QuickLoadCRFEntityExtractor
from common.settings import PROJECT_DIR
from tests.bot.models import latest_project_model

ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")  # "[back office](job)" -> "back office"


def _held_out_messages(limit: int = 120) -> list[str]:
    texts = []
    for name in ("holdout.yml", "holdout_precise.yml"):
        for block in yaml.safe_load((PROJECT_DIR / "tests" / "nlu" / name).read_text(encoding="utf-8"))["nlu"]:
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    texts.append(ANNOTATION.sub(r"\1", line.strip()[2:]))
    return texts[::max(1, len(texts) // limit)]


@pytest.fixture(scope="module")
def project_model() -> str:
    return latest_project_model()


def _entities(model: str, texts: list[str]) -> list[list[tuple]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    loop = asyncio.new_event_loop()
    try:
        parsed = [loop.run_until_complete(agent.parse_message(text)) for text in texts]
    finally:
        loop.close()
    return [[(e["entity"], e["value"], e["start"], e["end"], e.get("confidence_entity") or 0.0)
             for e in p["entities"] if e.get("extractor") == "QuickLoadCRFEntityExtractor"] for p in parsed]


def _assert_same(found: list[list[tuple]], expected: list[list[tuple]]) -> None:
    """Same entities and spans; confidences within 1e-4 (a CRF trained again from the same data differs
    around the 6th decimal)."""
    assert [[e[:4] for e in message] for message in found] == [[e[:4] for e in message] for message in expected]
    for message, reference in zip(found, expected, strict=True):
        for entity, other in zip(message, reference, strict=True):
            assert entity[4] == pytest.approx(other[4], abs=1e-4)


def _count_trainings(monkeypatch) -> list[int]:
    trainings: list[int] = []
    original = CRFEntityExtractor.train_model.__func__

    def counted(cls, *args, **kwargs):
        trainings.append(1)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(CRFEntityExtractor, "train_model", classmethod(counted))
    return trainings


def test_quick_load_predicts_like_rasas_own_load_without_training(project_model, monkeypatch):
    texts = _held_out_messages()
    trainings = _count_trainings(monkeypatch)
    quick = _entities(project_model, texts)
    assert not trainings, "the quick load trained the CRF again"
    assert sum(len(found) for found in quick) > 50  # the held-out messages name jobs, diplomas…

    monkeypatch.setattr(QuickLoadCRFEntityExtractor, "load", classmethod(CRFEntityExtractor.load.__func__))
    reference = _entities(project_model, texts)
    assert trainings, "the reference load did not train the CRF again (Rasa's own load)"
    _assert_same(quick, reference)


def test_a_model_without_the_stored_crfs_loads_rasas_way(project_model, tmp_path, monkeypatch):
    stripped = tmp_path / "without-crfsuite.tar.gz"
    with tarfile.open(project_model) as source, tarfile.open(stripped, "w:gz") as target:
        names = [member.name for member in source.getmembers()]
        assert any(name.endswith(".crfsuite") for name in names), "the trained model holds no stored CRF"
        for member in source.getmembers():
            if not member.name.endswith(".crfsuite"):
                target.addfile(member, source.extractfile(member) if member.isfile() else None)
    texts = _held_out_messages(30)
    trainings = _count_trainings(monkeypatch)
    _assert_same(_entities(str(stripped), texts), _entities(project_model, texts))
    assert len(trainings) == 1  # only the stripped model was trained again
