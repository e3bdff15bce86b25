"""Models for the tests of bot/: a toy NLU model trained by Rasa, or the project's latest trained model."""
from __future__ import annotations

from pathlib import Path

import pytest

from common.settings import PROJECT_DIR


def train_toy_nlu(folder: Path, config: str, nlu: str) -> str:
    """Train an NLU model from `config` and `nlu` (YAML texts) in `folder`; its path."""
    from rasa.model_training import train_nlu

    (folder / "config.yml").write_text(config, encoding="utf-8")
    (folder / "nlu.yml").write_text(nlu, encoding="utf-8")
    model = train_nlu(str(folder / "config.yml"), str(folder / "nlu.yml"), str(folder / "models"),
                      fixed_model_name="toy")
    assert model, "training the toy model failed"
    return model


def latest_project_model() -> str:
    """The project's latest trained model (make test trains it before the tests)."""
    models = sorted((PROJECT_DIR / "models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        pytest.fail("no trained model in models/: run `make train` (make test does it)")
    return str(models[-1])
