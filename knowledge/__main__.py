"""Command line: `python -m knowledge build | show JOB [TOPIC] [--json] | check | nlu [--check]`."""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from common.private_files import keep_private
from common.settings import PROJECT_DIR, get_settings
from knowledge import builder, nlu_export
from knowledge.loader import DataFileError
from knowledge.queries import KnowledgeBaseUnavailable, KnowledgeRepository
from knowledge.render import answer_text

NLU_DIR = PROJECT_DIR / "data" / "nlu"


def _show(repo: KnowledgeRepository, job_text: str, topic: str | None, as_json: bool) -> int:
    job = repo.resolve_job(job_text)
    if job is None:
        known = ", ".join(j.id for j in repo.list_jobs())
        print(f"Unknown job {job_text!r}. Known jobs: {known}", file=sys.stderr)
        return 2
    names = [topic] if topic else [t for t in repo.topics if repo.topics[t].in_sheets]
    if topic and topic not in repo.topics:
        print(f"Unknown topic {topic!r}. Topics: {', '.join(repo.topics)}", file=sys.stderr)
        return 2
    answers = [repo.topic_answer(job.id, name) for name in names]
    if as_json:
        print(json.dumps([dataclasses.asdict(a) | {"found": a.found} for a in answers], ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(answer_text(a) for a in answers))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description="Build and inspect the knowledge base.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="write the data files into the database (KNOWLEDGE_DB_URL, SQLite by default)")
    show = sub.add_parser("show", help="print what the base holds for a job")
    show.add_argument("job", help="a job id or any way of writing it (middle-office, BO...)")
    show.add_argument("topic", nargs="?", help="definition, missions, studies, rhythm, skills, qualities, "
                      "interlocutors, careers, trainings, figures, source")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    sub.add_parser("check", help="exit 1 with a message unless the base is built and readable")
    nlu = sub.add_parser("nlu", help="generate data/nlu/*_generated.yml (job aliases, filter lookup tables)")
    nlu.add_argument("--check", action="store_true", help="exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    settings = get_settings()
    try:
        if args.command == "build":
            keep_private()
            report = builder.build(settings.knowledge_db_url, settings.knowledge_dir)
            facts = ", ".join(f"{job}: {n} facts" for job, n in report.jobs.items())
            print(f"Knowledge base built at {report.url} ({facts})")
            return 0
        if args.command == "nlu":
            if args.check:
                stale = nlu_export.stale(settings.knowledge_dir, NLU_DIR)
                for path in stale:
                    print(f"{path.relative_to(PROJECT_DIR)} is stale: run `make nlu`", file=sys.stderr)
                return 1 if stale else 0
            changed = nlu_export.write(settings.knowledge_dir, NLU_DIR)
            for path in changed:
                print(f"{path.relative_to(PROJECT_DIR)} updated")
            if not changed:
                print("data/nlu/*_generated.yml up to date")
            return 0
        repo = KnowledgeRepository(settings.knowledge_db_url, settings.knowledge_dir)
        if args.command == "check":
            counts = repo.check()
            print("Knowledge base OK: " + ", ".join(f"{job}: {n} facts" for job, n in counts.items()))
            return 0
        repo.check()
        return _show(repo, args.job, args.topic, args.json)
    except DataFileError as error:
        print(f"Data file error: {error}", file=sys.stderr)
        return 1
    except KnowledgeBaseUnavailable as error:
        print(f"Knowledge base unavailable: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
