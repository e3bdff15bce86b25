"""Reads and checks the curated data files (`knowledge/jobs/*.yml`, `knowledge/topics.yml`).

Errors name the file and line, so an operator who mistyped a data file knows where to look.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from knowledge.text import normalise_sheet_text

LINE_KEY = "__line__"
FACT_KEYS = {"text", "quote", "level", "type", "code", "url", "aliases", LINE_KEY}
DIRECTIONS = {"from", "to"}  # careers groups: jobs one comes from / moves on to
SKILL_TYPES = {"technique", "comportementale", "organisationnelle"}


class DataFileError(ValueError):
    """A curated data file is malformed; the message names the file and the line."""

    def __init__(self, path: Path | None, line: int | None, problem: str):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.problem = path, line, problem


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers on which line each mapping starts."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping


@dataclass(frozen=True)
class TopicDef:
    name: str
    label: str
    ask: str
    keywords: tuple[str, ...]
    next: tuple[str, ...] = ()
    instead_topic: str | None = None
    instead_type: str | None = None
    in_sheets: bool = True


@dataclass(frozen=True)
class FactData:
    topic: str
    position: int
    text: str
    quote: str
    group: str | None = None
    group_quote: str | None = None
    level: int | None = None
    skill_type: str | None = None
    code: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()  # other words students use for this fact (search only, never said)
    direction: str | None = None
    line: int | None = None  # where the fact starts in its data file
    group_line: int | None = None


@dataclass
class JobData:
    id: str
    name: str
    sheet_path: Path
    aliases: list[str]
    source_publisher: str
    source_title: str
    source_url: str | None
    source_quote: str
    level_labels: dict[int, str] = field(default_factory=dict)
    level_quote: str | None = None
    facts: list[FactData] = field(default_factory=list)
    data_path: Path | None = None


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning syntax errors into a DataFileError with the line."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # safe: _LineLoader is a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise DataFileError(path, mark.line + 1 if mark else None, f"invalid YAML: {error.problem}") from None
    except UnicodeDecodeError:
        raise DataFileError(path, None, "not UTF-8 text") from None
    except FileNotFoundError:
        raise DataFileError(path, None, "file not found (check KNOWLEDGE_DIR)") from None
    except OSError as error:
        raise DataFileError(path, None, f"cannot be read: {error.strerror}") from None


def load_topics(path: Path) -> dict[str, TopicDef]:
    """Load the topic catalogue."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("topics"), dict):
        raise DataFileError(path, 1, "expected a mapping `topics:`")
    topics = {}
    for name, spec in data["topics"].items():
        if name == LINE_KEY:
            continue
        line = spec.get(LINE_KEY) if isinstance(spec, dict) else None
        if not isinstance(spec, dict) or not spec.get("label") or not spec.get("ask"):
            raise DataFileError(path, line, f"topic {name!r} needs `label` and `ask`")
        instead = spec.get("instead") or {}
        topics[name] = TopicDef(
            name=name,
            label=spec["label"],
            ask=spec["ask"],
            keywords=tuple(spec.get("keywords") or ()),
            next=tuple(spec.get("next") or ()),
            instead_topic=instead.get("topic"),
            instead_type=instead.get("type"),
            in_sheets=bool(spec.get("in_sheets", True)),
        )
    for topic in topics.values():
        for name in [*topic.next, topic.instead_topic]:
            if name and name not in topics:
                raise DataFileError(path, None, f"topic {topic.name!r} refers to unknown topic {name!r}")
    return topics


def _require_text(path: Path, mapping: dict, key: str, where: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, (str, int, float)) or not str(value).strip():
        raise DataFileError(path, mapping.get(LINE_KEY), f"{where}: `{key}` must be non-empty text")
    return str(value).strip()


def _fact(path: Path, raw: Any, topic: str, position: int, group: str | None, group_quote: str | None,
          direction: str | None = None) -> FactData:
    if not isinstance(raw, dict):
        raise DataFileError(path, None, f"topic {topic!r}: each fact must be a mapping with `text` and `quote`")
    line = raw.get(LINE_KEY)
    unknown = set(raw) - FACT_KEYS
    if unknown:
        raise DataFileError(path, line, f"topic {topic!r}: unknown key(s) {sorted(unknown)}")
    level = raw.get("level")
    if level is not None and level not in (1, 2, 3, 4):
        raise DataFileError(path, line, f"topic {topic!r}: `level` must be 1, 2, 3 or 4, got {level!r}")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise DataFileError(path, line, f"topic {topic!r}: `aliases` must be a list of non-empty strings")
    skill_type = raw.get("type")
    if skill_type is not None and skill_type not in SKILL_TYPES:
        raise DataFileError(path, line, f"topic {topic!r}: `type` must be one of {sorted(SKILL_TYPES)}")
    return FactData(
        topic=topic,
        position=position,
        text=_require_text(path, raw, "text", f"topic {topic!r}"),
        quote=_require_text(path, raw, "quote", f"topic {topic!r}"),
        group=group,
        group_quote=group_quote,
        level=level,
        skill_type=skill_type,
        code=raw.get("code"),
        url=raw.get("url"),
        aliases=tuple(a.strip() for a in aliases),
        direction=direction,
        line=line,
    )


def _facts(path: Path, topic: str, items: Any) -> list[FactData]:
    if not isinstance(items, list) or not items:
        raise DataFileError(path, None, f"topic {topic!r} must be a non-empty list of facts or groups")
    facts: list[FactData] = []
    for item in items:
        if isinstance(item, dict) and "group" in item:
            where = f"topic {topic!r}"
            group = _require_text(path, item, "group", where)
            group_quote = _require_text(path, item, "group_quote", where)
            if not isinstance(item.get("facts"), list) or not item["facts"]:
                raise DataFileError(path, item.get(LINE_KEY), f"{where}: group {group!r} needs a list `facts`")
            direction = item.get("direction")
            if direction is not None and direction not in DIRECTIONS:
                raise DataFileError(path, item.get(LINE_KEY),
                                    f"{where}: `direction` must be one of {sorted(DIRECTIONS)}")
            facts += [replace(_fact(path, raw, topic, len(facts) + i, group, group_quote, direction),
                              group_line=item.get(LINE_KEY))
                      for i, raw in enumerate(item["facts"])]
        else:
            facts.append(_fact(path, item, topic, len(facts), None, None))
    return facts


def load_job(path: Path, sheets_dir: Path, topics: dict[str, TopicDef]) -> JobData:
    """Load and check one job's data file."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path, 1, "expected a mapping with id, name, sheet, aliases, source, topics")
    where = "job"
    job_id = _require_text(path, data, "id", where)
    sheet = sheets_dir / _require_text(path, data, "sheet", where)
    if not sheet.is_file():
        raise DataFileError(path, data.get(LINE_KEY), f"sheet file not found: {sheet}")
    source = data.get("source")
    if not isinstance(source, dict):
        raise DataFileError(path, data.get(LINE_KEY), "`source` must be a mapping (publisher, title, url, quote)")
    aliases = data.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise DataFileError(path, data.get(LINE_KEY), "`aliases` must be a list of non-empty strings")
    levels = data.get("skill_levels") or {}
    job = JobData(
        id=job_id,
        name=_require_text(path, data, "name", where),
        sheet_path=sheet,
        aliases=[a.strip() for a in aliases],
        source_publisher=_require_text(path, source, "publisher", "source"),
        source_title=_require_text(path, source, "title", "source"),
        source_url=source.get("url") or None,
        source_quote=_require_text(path, source, "quote", "source"),
        level_labels={int(k): str(v) for k, v in (levels.get("labels") or {}).items() if k != LINE_KEY},
        level_quote=levels.get("quote"),
        data_path=path,
    )
    raw_topics = data.get("topics")
    if not isinstance(raw_topics, dict):
        raise DataFileError(path, data.get(LINE_KEY), "`topics` must be a mapping of topic name to facts")
    for topic, items in raw_topics.items():
        if topic == LINE_KEY:
            continue
        if topic not in topics or topic == "source":
            known = ", ".join(t for t in topics if t != "source")
            raise DataFileError(path, raw_topics.get(LINE_KEY), f"unknown topic {topic!r} (known: {known})")
        job.facts += _facts(path, topic, items)
    _check_quotes(job, source, levels)
    return job


def _check_quotes(job: JobData, source: dict, levels: dict) -> None:
    """Every quote must be text of the job's sheet (after undoing the PDF extraction's artefacts)."""
    sheet = normalise_sheet_text(job.sheet_path.read_text(encoding="utf-8"))
    quotes = [(job.source_quote, source.get(LINE_KEY), "source")]
    if job.level_quote:
        quotes.append((job.level_quote, levels.get(LINE_KEY), "skill_levels"))
    for fact in job.facts:
        quotes.append((fact.quote, fact.line, f"topic {fact.topic!r}"))
        if fact.group_quote:
            quotes.append((fact.group_quote, fact.group_line, f"topic {fact.topic!r}, group {fact.group!r}"))
    for quote, line, where in quotes:
        if normalise_sheet_text(quote) not in sheet:
            raise DataFileError(job.data_path, line,
                                f"{where}: quote not found in {job.sheet_path.name}: {quote[:80]!r}")


def load_all(knowledge_dir: Path) -> tuple[dict[str, TopicDef], list[JobData]]:
    """Load the topic catalogue and every job file of a knowledge directory."""
    topics = load_topics(knowledge_dir / "topics.yml")
    jobs = [load_job(p, knowledge_dir / "sheets", topics) for p in sorted((knowledge_dir / "jobs").glob("*.yml"))]
    seen: dict[str, Path | None] = {}
    for job in jobs:
        if job.id in seen:
            raise DataFileError(job.data_path, None, f"job id {job.id!r} already used by {seen[job.id]}")
        seen[job.id] = job.data_path
    return topics, jobs
