"""Writes the curated data files into a database (SQLite by default, any SQLAlchemy URL otherwise)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine.url import make_url
from sqlalchemy.orm import Session

from knowledge.db import get_engine
from knowledge.glossary import load_glossary
from knowledge.loader import DataFileError, JobData, load_all
from knowledge.models import Alias, Base, Fact, Job, SkillLevel
from knowledge.text import compact


@dataclass(frozen=True)
class BuildReport:
    url: str
    jobs: dict[str, int]  # job id -> number of facts


def _check_aliases(jobs: list[JobData]) -> None:
    owner: dict[str, str] = {}
    for job in jobs:
        for alias in [job.id, job.name, *job.aliases]:
            key = compact(alias)
            if owner.setdefault(key, job.id) != job.id:
                raise DataFileError(job.data_path, None, f"alias {alias!r} is also an alias of {owner[key]!r}")


def _job_row(job: JobData) -> Job:
    return Job(
        id=job.id,
        name=job.name,
        sheet_file=job.sheet_path.name,
        source_publisher=job.source_publisher,
        source_title=job.source_title,
        source_url=job.source_url,
        source_quote=job.source_quote,
    )


def _dependent_rows(job: JobData) -> list:
    """Aliases, skill levels and facts of one job (inserted after every job row exists)."""
    rows: list = []
    seen = set()
    for alias in [job.id, job.name, *job.aliases]:
        if compact(alias) not in seen:
            seen.add(compact(alias))
            rows.append(Alias(job_id=job.id, alias=alias, compact=compact(alias)))
    rows += [
        SkillLevel(job_id=job.id, level=level, label=label, quote=job.level_quote or "")
        for level, label in job.level_labels.items()
    ]
    rows += [
        Fact(
            job_id=job.id,
            topic=f.topic,
            position=f.position,
            group_label=f.group,
            group_quote=f.group_quote,
            text=f.text,
            quote=f.quote,
            level=f.level,
            skill_type=f.skill_type,
            code=f.code,
            url=f.url,
            aliases="\n".join(f.aliases) or None,
            direction=f.direction,
        )
        for f in job.facts
    ]
    return rows


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of a SQLite file URL, so the default path works on a fresh clone."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def build(url: str, knowledge_dir: Path) -> BuildReport:
    """Load every data file, then replace the base's content in one transaction (idempotent)."""
    _, jobs = load_all(knowledge_dir)
    _check_aliases(jobs)
    load_glossary(knowledge_dir / "glossary.yml", {job.id: job.sheet_path for job in jobs})  # quotes checked
    ensure_sqlite_dir(url)
    engine = get_engine(url)
    # The base is derived data: its tables are recreated (so a new column never needs a migration), in one
    # transaction with the inserts, so a failed build leaves the previous base as it was.
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        Base.metadata.create_all(connection)
        with Session(bind=connection, future=True) as session:
            # Jobs first: without ORM relationships the unit of work does not order inserts by foreign key,
            # which PostgreSQL enforces (SQLite does not, by default).
            session.add_all([_job_row(job) for job in jobs])
            session.flush()
            for job in jobs:
                session.add_all(_dependent_rows(job))
            session.flush()
    return BuildReport(url=url, jobs={job.id: len(job.facts) for job in jobs})
