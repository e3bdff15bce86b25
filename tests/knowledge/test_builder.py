"""The builder: idempotent, any SQLAlchemy URL, clear errors, and a third job added as data only."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import builder, nlu_export
from knowledge.db import get_engine
from knowledge.loader import DataFileError
from knowledge.models import Fact
from knowledge.queries import KnowledgeRepository
from tests.conftest import KNOWLEDGE_DIR, PROJECT_DIR


def _fact_count(url: str) -> int:
    with Session(get_engine(url)) as session:
        return session.execute(select(func.count(Fact.id))).scalar_one()


def test_rebuild_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    first = builder.build(url, KNOWLEDGE_DIR)
    count = _fact_count(url)
    second = builder.build(url, KNOWLEDGE_DIR)
    assert first.jobs == second.jobs and _fact_count(url) == count == sum(first.jobs.values())


def test_builds_into_a_second_database_url(tmp_path):
    """Any SQLAlchemy URL: here a second SQLite database in a nested folder the builder creates."""
    url = f"sqlite:///{tmp_path / 'nested' / 'other.db'}"
    builder.build(url, KNOWLEDGE_DIR)
    repo = KnowledgeRepository(url, KNOWLEDGE_DIR)
    assert len(repo.topic_answer("middle-office", "skills").facts) == 12


def _copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


@pytest.mark.parametrize("content,line,message", [
    ("id: x\nname: X\n  bad: indent\n", 3, "invalid YAML"),
    ("id: x\nname: X\nsheet: nope.txt\n", 1, "sheet file not found"),
    ("id: x\nname: X\nsheet: gestionnaire-back-office.txt\nsource: {publisher: P, title: T, quote: Q}\n"
     "topics:\n  missions:\n    - text: a\n      quote: b\n    - text: c\n", 9, "`quote` must be non-empty"),
    ("id: x\nname: X\nsheet: gestionnaire-back-office.txt\nsource: {publisher: P, title: T, quote: Q}\n"
     "topics:\n  horoscope:\n    - {text: a, quote: b}\n", 6, "unknown topic 'horoscope'"),
    ("id: x\nname: X\nsheet: gestionnaire-back-office.txt\nsource: {publisher: P, title: T, quote: Q}\n"
     "topics:\n  skills:\n    - {text: a, quote: b, level: 7}\n", 7, "`level` must be 1, 2, 3 or 4"),
    ("id: x\nname: X\nsheet: gestionnaire-back-office.txt\nsource: {publisher: P, title: T, quote: BTS Banque}\n"
     "topics:\n  missions:\n    - {text: a, quote: Gérer les outils monétiques}\n"
     "    - {text: b, quote: Piloter une fusée}\n", 8, "quote not found in gestionnaire-back-office.txt"),
    ("id: x\nname: X\nsheet: gestionnaire-back-office.txt\n"
     "source: {publisher: P, title: T, quote: Un éditeur inventé}\n"
     "topics:\n  missions:\n    - {text: a, quote: Gérer les outils monétiques}\n", 4, "source: quote not found"),
])
def test_malformed_file_names_file_and_line(tmp_path, content, line, message):
    knowledge = _copy_knowledge(tmp_path)
    bad = knowledge / "jobs" / "zz-bad.yml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        builder.build(f"sqlite:///{tmp_path / 'kb.sqlite3'}", knowledge)
    assert error.value.path == bad and error.value.line == line
    assert message in str(error.value) and f"zz-bad.yml:{line}" in str(error.value)


def test_failed_build_keeps_the_previous_base(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    knowledge = _copy_knowledge(tmp_path)
    builder.build(url, knowledge)
    before = _fact_count(url)
    (knowledge / "jobs" / "zz-bad.yml").write_text("id: [", encoding="utf-8")
    with pytest.raises(DataFileError):
        builder.build(url, knowledge)
    assert _fact_count(url) == before


THIRD_SHEET = """FICHE MÉTIER
Le conseiller en gestion de patrimoine aide ses clients à organiser leurs placements.
MISSIONS
Analyser la situation financière des clients
Proposer des placements adaptés
QUALITÉS
Écoute et discrétion
"""
THIRD_JOB = """id: patrimoine
name: Conseiller en gestion de patrimoine
sheet: conseiller-patrimoine.txt
aliases: [cgp, gestion de patrimoine, conseiller patrimoine, chargé de patrimoine]
source: {publisher: Fiche de test, title: Conseiller en gestion de patrimoine, quote: FICHE MÉTIER}
topics:
  definition:
    - {text: Il aide ses clients à organiser leurs placements., quote: aide ses clients à organiser leurs placements}
  missions:
    - {text: Analyser la situation financière des clients, quote: Analyser la situation financière des clients}
    - {text: Proposer des placements adaptés, quote: Proposer des placements adaptés}
  qualities:
    - {text: Écoute et discrétion, quote: Écoute et discrétion}
"""


def test_third_job_is_data_only(tmp_path):
    knowledge = _copy_knowledge(tmp_path)
    (knowledge / "sheets" / "conseiller-patrimoine.txt").write_text(THIRD_SHEET, encoding="utf-8")
    (knowledge / "jobs" / "patrimoine.yml").write_text(THIRD_JOB, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    report = builder.build(url, knowledge)
    assert report.jobs["patrimoine"] == 4
    repo = KnowledgeRepository(url, knowledge)
    assert repo.resolve_job("CGP").id == "patrimoine"
    missions = repo.topic_answer("patrimoine", "missions").facts
    assert missions[0].text == "Analyser la situation financière des clients"
    assert not repo.topic_answer("patrimoine", "skills").found
    assert len(repo.compare("missions")) == 3
    generated = nlu_export.render(knowledge)
    assert "- synonym: patrimoine" in generated and "    - cgp" in generated
    # an accented alias as written and without its accents (students write both; the entity mapper matches text)
    assert "    - chargé de patrimoine" in generated and "    - charge de patrimoine" in generated
    assert repo.resolve_job("chargé de patrimoine").id == repo.resolve_job("charge de patrimoine").id == "patrimoine"


def test_generated_nlu_file_is_fresh():
    target = PROJECT_DIR / "data" / "nlu" / "jobs_generated.yml"
    assert target.read_text(encoding="utf-8") == nlu_export.render(KNOWLEDGE_DIR), "stale: run `make nlu`"


def _cli(*args, url):
    env = {"KNOWLEDGE_DB_URL": url, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "knowledge", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=60)


def test_cli_show(kb_url):
    skills = _cli("show", "middle-office", "skills", url=kb_url)
    assert skills.returncode == 0 and skills.stdout.count("\n- ") == 12
    assert "niveau Expertise, technique" in skills.stdout
    rhythm = _cli("show", "back-office", "rhythm", url=kb_url)
    assert rhythm.returncode == 0 and "ne donne pas" in rhythm.stdout
    as_json = _cli("show", "BO", "qualities", "--json", url=kb_url)
    assert '"Rigueur et organisation"' in as_json.stdout
    unknown = _cli("show", "trader", url=kb_url)
    assert unknown.returncode == 2 and "Known jobs" in unknown.stderr


def test_cli_missing_base(tmp_path):
    result = _cli("show", "BO", url=f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert result.returncode == 1 and "make kb" in result.stderr


def test_builds_into_postgresql(postgres_url):
    """The same builder and queries against a real PostgreSQL server (KNOWLEDGE_DB_URL=postgresql://...)."""
    first = builder.build(postgres_url, KNOWLEDGE_DIR)
    again = builder.build(postgres_url, KNOWLEDGE_DIR)
    assert first.jobs == again.jobs and _fact_count(postgres_url) == sum(first.jobs.values())
    repo = KnowledgeRepository(postgres_url, KNOWLEDGE_DIR)
    assert repo.check() == first.jobs
    skills = repo.topic_answer("middle-office", "skills").facts
    assert len(skills) == 12 and skills[2].level_label == "Maîtrise"
    assert repo.resolve_job("BO").id == "back-office"
