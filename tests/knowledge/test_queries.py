"""Job resolution, absent topics and comparisons through the query module."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from common.settings import PROJECT_DIR
from knowledge import queries
from tests.conftest import KNOWLEDGE_DIR

SPELLINGS = {
    "middle-office": [
        "middle office", "middle-office", "middleoffice", "MO", "mo", "Mo", "gestionnaire middle office",
        "Gestionnaire Middle-Office", "MIDDLE OFFICE", "middle", "le middle", "midle ofice", "midle office",
        "middle ofice", "gestionnaire de middle office", "gestionnaire MO", "Middle Office ?", "middle_office",
        "le gestionnaire middle-office", "middle offices", "middle.office",
    ],
    "back-office": [
        "back office", "back-office", "backoffice", "BO", "bo", "gestionnaire de back-office",
        "Gestionnaire de Back-Office", "BACK OFFICE", "back", "le back", "bak office", "back ofice",
        "backofice", "gestionnaire back office", "gestionnaire BO", "Back-Öffice", "back  office",
        "gestionnaire de back office", "le back-office", "back offices", "bakoffice",
    ],
}
UNKNOWN = ["trader", "boulanger", "infirmière", "", "   ", None, "office", "front office", "m", "comptable"]


@pytest.mark.parametrize("text,job_id", [(t, j) for j, ts in SPELLINGS.items() for t in ts])
def test_resolve_job_spellings(repo, text, job_id):
    job = repo.resolve_job(text)
    assert job is not None and job.id == job_id, text


@pytest.mark.parametrize("text", UNKNOWN)
def test_resolve_unknown_job(repo, text):
    assert repo.resolve_job(text) is None


def _data_file_jobs() -> list[str]:
    """The jobs of knowledge/jobs/*.yml: tests derive the job list from the data, as the bot does."""
    from knowledge.loader import load_all
    from tests.conftest import KNOWLEDGE_DIR

    return sorted(job.id for job in load_all(KNOWLEDGE_DIR)[1])


def test_list_jobs(repo):
    assert [j.id for j in repo.list_jobs()] == _data_file_jobs()
    assert {"back-office", "middle-office"} <= set(_data_file_jobs())


@pytest.mark.parametrize("job_id,topic", [
    ("back-office", "rhythm"), ("back-office", "figures"), ("back-office", "trainings"),
    ("middle-office", "qualities"), ("middle-office", "salary"), ("back-office", "salary"),
    ("middle-office", "telework"), ("back-office", "telework"),
])
def test_absent_topics_say_so_and_never_borrow(repo, job_id, topic):
    answer = repo.topic_answer(job_id, topic)
    assert not answer.found and answer.facts == ()
    assert answer.job.id == job_id
    assert topic not in answer.covered_topics


def test_absent_topic_offers_what_the_sheet_has(repo):
    qualities = repo.topic_answer("middle-office", "qualities")
    assert {f.skill_type for f in qualities.instead.facts} == {"comportementale"}
    trainings = repo.topic_answer("back-office", "trainings")
    assert trainings.instead.topic == "studies" and any(f.text == "BTS Banque" for f in trainings.instead.facts)
    assert repo.topic_answer("back-office", "rhythm").instead is None


def test_facts_belong_to_their_job(repo):
    mo = {f.text for f in repo.topic_answer("middle-office", "skills").facts}
    bo = {f.text for f in repo.topic_answer("back-office", "skills").facts}
    assert not mo & bo


def test_compare_side_by_side(repo):
    answers = repo.compare("missions")
    assert [a.job.id for a in answers] == _data_file_jobs()
    assert all(a.found for a in answers if a.job.id in ("back-office", "middle-office"))


@pytest.mark.parametrize("text,topic", [
    ("compare les compétences du middle et du back", "skills"),
    ("difference de salaire entre les deux", "salary"),
    ("les etudes c'est pareil ?", "studies"),
    ("back office vs middle office", None),
])
def test_topic_of_text(repo, text, topic):
    assert repo.topic_of_text(text) == topic


def test_unknown_job_or_topic_raises(repo):
    with pytest.raises(KeyError):
        repo.topic_answer("trader", "skills")
    with pytest.raises(KeyError):
        repo.topic_answer("back-office", "horoscope")


def test_module_functions_use_configured_base(default_kb):
    assert queries.resolve_job("BO").id == "back-office"
    assert queries.topic_answer("middle-office", "figures").facts[0].text == "1 220 emplois"


def test_nothing_connects_at_import():
    """In a fresh interpreter: importing the query module (as the action server does) opens no engine."""
    probe = ("import knowledge.queries, knowledge.db, sys; "
             "sys.exit(knowledge.db.get_engine.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_DIR,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:] or f"{done.returncode} engine(s) created at import"


def test_missing_base_names_the_rebuild_command(tmp_path):
    repo = queries.KnowledgeRepository(f"sqlite:///{tmp_path / 'absent.sqlite3'}", KNOWLEDGE_DIR)
    with pytest.raises(queries.KnowledgeBaseUnavailable, match="make kb"):
        repo.check()
    assert not (tmp_path / "absent.sqlite3").exists()


def test_corrupt_base_names_the_rebuild_command(tmp_path):
    bad = tmp_path / "corrupt.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    repo = queries.KnowledgeRepository(f"sqlite:///{bad}", KNOWLEDGE_DIR)
    with pytest.raises(queries.KnowledgeBaseUnavailable, match="make kb"):
        repo.check()


@pytest.mark.parametrize("text,expected", [
    ("et pour le backoffice ?", ["back-office"]),
    ("les etudes en middle office et en back office", ["middle-office", "back-office"]),
    ("quelles competences pour le MO", ["middle-office"]),
    ("un boulanger patissier", []),
    ("c'est quoi ton bureau", []),
    # typos, only when no alias is written exactly
    ("MIDLE OFISE LES ETUDE CE KOI", ["middle-office"]),
    ("kel kalite pr le bakofice", ["back-office"]),
    ("les missions d'un office manager", []),
    ("c koi les debouches apres", []),
])
def test_jobs_in_text(repo, text, expected):
    assert [j.id for j in repo.jobs_in_text(text)] == expected


@pytest.mark.parametrize("text,job_id", [("middel", "middle-office"), ("midl office", "middle-office"),
                                         ("bck office", "back-office"), ("back offise", "back-office")])
def test_more_typos(repo, text, job_id):
    assert repo.resolve_job(text).id == job_id


@pytest.mark.parametrize("text,job_id", [
    ("c koi le bak ofis", "back-office"), ("jveu fer midl ofis", "middle-office"),
    ("le BAKOFIS ca paye ?", "back-office"), ("midle ofise c quoi", "middle-office"),
])
def test_jobs_spelled_as_they_sound(repo, text, job_id):
    assert [j.id for j in repo.jobs_in_text(text)] == [job_id]


def test_no_job_found_where_the_nlu_data_names_none(repo):
    """0 false hits: no training or held-out message without a `job` annotation gets a job from the text search."""
    import re

    from common.settings import PROJECT_DIR

    paths = [*(PROJECT_DIR / "data" / "nlu").glob("*.yml"), *(PROJECT_DIR / "tests" / "nlu").glob("*.yml")]
    hits, checked = [], 0
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            names_job = "(job)" in line or '"entity": "job"' in line
            if "_generated" in path.name or not line.startswith("    - ") or names_job:
                continue
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line[6:])
            checked += 1
            if repo.jobs_in_text(text):
                hits.append(text)
    assert checked > 1500
    # a job added to the knowledge base may be named by older examples: annotate them ([...](job)) in data/nlu
    assert not hits, hits[:20]


def test_facts_quoting_reads_the_sheets_lines_codes_and_types(repo):
    """A word in a fact's sheet line, code, link or skill type; the fact that says it in its text first; nothing for
    a message of question words only, or a word no line holds."""
    rncp = repo.facts_quoting("c'est quoi rncp")
    assert rncp and all(f.fact.code and "RNCP" in f.fact.code for f in rncp)
    typed = repo.facts_quoting("comportementale", ("middle-office",))
    assert {f.fact.skill_type for f in typed} == {"comportementale"} and len(typed) == 4
    general = repo.facts_quoting("c quoi un secretaire general")
    assert general[0].fact.text == "Secrétaire général" and general[0].coverage > general[-1].coverage
    assert repo.facts_quoting("c'est quoi ?") == [] and repo.facts_quoting("c'est quoi la trigonometrie") == []
    assert repo.facts_quoting("comportementale", ("back-office",)) == []


def test_a_bare_noun_follow_up_asks_for_what_the_sheet_says_not_a_yes():
    from knowledge.queries import vocabulary
    from knowledge.question import OPEN, YES_NO, analyse

    assert analyse("et expertise ?", vocabulary()).form == OPEN
    assert analyse("et il gère les clients ?", vocabulary()).form == YES_NO


@pytest.mark.parametrize("text,form", [
    ("Pourriez-vous me les détailler ?", "open"),
    ("tu peux m'expliquer le back office ?", "open"),
    ("pouvez-vous nous présenter les formations ?", "open"),
    ("pourriez-vous me dire si le BTS suffit ?", "yes_no"),  # asked with "si": a closed question
    ("le back office peut me convenir ?", "yes_no"),
    ("et le middle se situe où là-dedans ?", "open"),  # "où" (where), folded as "ou" (or)
    ("il travaille où ?", "open"),
    ("il travaille ou pas ?", "yes_no"),
    ("le middle ou le back ?", "yes_no"),
])
def test_a_request_to_the_writer_asks_for_what_the_sheet_says(text, form):
    from knowledge.queries import vocabulary
    from knowledge.question import analyse

    assert analyse(text, vocabulary()).form == form


def test_english_words_and_job_titles_are_no_fact_words():
    """"what does a middle office manager do?": the job named (with its English title), no word to look for."""
    from knowledge.queries import content_terms, jobs_in_text

    assert content_terms("what does a middle office manager do?") == []
    assert [job.id for job in jobs_in_text("what does a middle office manager do?")] == ["middle-office"]


def test_a_diploma_written_whole_is_no_job_that_sounds_like_it(repo):
    """"et les bacs ?" sounds like "back": a diploma, no job; "bak ofiss" (SMS) is still the back office."""
    assert repo.jobs_in_text("et les bacs ?") == []
    assert repo.jobs_in_text("et lé bacs ?") == []
    assert [j.id for j in repo.jobs_in_text("gestionaire bak ofiss il fé koi")] == ["back-office"]


@pytest.mark.parametrize("text, job", [
    ("et le bak ?", "back-office"), ("le bak c koi", "back-office"), ("et au bak ils font quoi", "back-office"),
    # the exam, whatever its spelling: never the job
    ("jai le bak pro", None), ("je passe le bak stmg", None), ("il a eu le bak", None), ("et apres le bak ?", None),
])
def test_bak_after_an_article_is_the_back_office_unless_it_is_the_exam(default_kb, text, job):
    found = [j.id for j in queries.jobs_in_text(text)]
    assert found == ([job] if job else []), found
