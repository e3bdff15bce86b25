"""Never a wrong "oui", walked over every list of every sheet (generated from the knowledge base, not written by hand).

For each job and each listed fact of studies, careers, skills, qualities and missions:
- asked about that fact, the bot says "oui" and quotes it;
- asked about a fact of the other job's list that this job's sheet does not say, or about an item no sheet lists
  (a small outside vocabulary: other bacs, BTS, CAP, jobs), the bot never says "oui".
A third job added as data is walked the same way (tests/knowledge/test_builder.py builds it).
"""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_topic import ActionAnswerTopic
from common.wording import response_text
from knowledge import queries
from knowledge.text import fold
from tests.actions.conftest import make_tracker

# How a student asks whether a listed item holds, per topic ({item}: the fact's text, {job}: the job's alias)
TEMPLATES = {
    "studies": "un {item} ça mène au {job} ?",
    "careers": "après le {job} on peut devenir {item} ?",
    "skills": "pour le {job} il faut savoir {item} ?",
    "qualities": "pour le {job} faut-il {item} ?",
    "missions": "le {job} doit {item} ?",
}
OUTSIDE = {
    "studies": ["bac pro commerce", "bac pro cuisine", "BTS MCO", "BTS comptabilité gestion", "CAP vente",
                "licence de droit", "master marketing", "BUT informatique", "école d'infirmière", "bac STI2D"],
    "careers": ["trader", "comptable", "directeur d'agence", "contrôleur financier", "data analyst",
                "conseiller clientèle entreprises"],
}


# Items of one sheet that the other sheet says in other words (read by a person, both sheets side by side)
SAME_MEANING = {
    ("back-office", "Travailler en équipe"),  # BO qualities: "Esprit d'équipe"
    ("middle-office", "Maîtrise de l'anglais"),  # MO skills: "Utiliser l'anglais en contexte professionnel", 3 Maîtrise
}


def _reply(intent: str, text: str, job_id: str) -> tuple[str, str]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent, [{"entity": "job", "value": job_id}], text=text)
    ActionAnswerTopic().run(dispatcher, tracker, {})
    texts = []
    for message in dispatcher.messages:
        values = {k: v for k, v in message.items() if k not in ("response", "buttons", "template")}
        texts.append(response_text(message["response"], **values))
    return " ".join(m["response"] for m in dispatcher.messages), "\n".join(texts)


def _says_yes(reply: str) -> bool:
    return fold(reply).startswith("oui") or "\noui" in fold(reply)


def _alias(job_id: str) -> str:
    return queries.default_repository().aliases()[job_id][0]  # the first alias: "middle office", "back office"


def _askable(topic: str, fact) -> bool:
    """Facts a student can name as an item: not the levels asked in job offers ("Niveau 5 BTS/DUT", not a diploma),
    not prose (a sentence of missions), not a move between two known jobs (tests/actions/test_planner.py), not a
    job one comes from (asked the other way round)."""
    return not (fold(fact.text).startswith("niveau ") or len(fact.text.split()) > 14
                or queries.jobs_in_text(fact.text) or (topic == "careers" and fact.direction == "from"))


def _cases(kind: str) -> list[tuple[str, str, str]]:
    """(job id, topic, item) for every listed fact (kind "listed"), another job's fact or an outside item."""
    cases = []
    jobs = queries.list_jobs()
    for job in jobs:
        for topic in TEMPLATES:
            own = queries.topic_answer(job.id, topic).facts
            own_texts = {fold(f.text) for f in own}
            if kind == "listed":
                cases += [(job.id, topic, f.text) for f in own if _askable(topic, f)]
            elif kind == "other_job":
                for other in jobs:
                    if other.id != job.id and own:
                        cases += [(job.id, topic, f.text) for f in queries.topic_answer(other.id, topic).facts
                                  if fold(f.text) not in own_texts and (job.id, f.text) not in SAME_MEANING]
            elif own:
                cases += [(job.id, topic, item) for item in OUTSIDE.get(topic, [])]
    return cases


@pytest.fixture(scope="module")
def walk(kb_url):
    """The real knowledge base for the whole module (the cases are generated from it)."""
    import os

    from knowledge import queries as q

    old = os.environ.get("KNOWLEDGE_DB_URL")
    os.environ["KNOWLEDGE_DB_URL"] = kb_url
    q.default_repository.cache_clear()
    yield
    q.default_repository.cache_clear()
    if old is None:
        os.environ.pop("KNOWLEDGE_DB_URL", None)
    else:
        os.environ["KNOWLEDGE_DB_URL"] = old


def test_every_listed_item_gets_its_yes(walk):
    wrong = []
    for job_id, topic, item in _cases("listed"):
        text = TEMPLATES[topic].format(item=item, job=_alias(job_id))
        responses, reply = _reply(f"ask_{topic}", text, job_id)
        if not _says_yes(reply) or fold(item)[:25] not in fold(reply):
            wrong.append((text, responses))
    total = len(_cases("listed"))
    assert total > 45
    assert not wrong, f"{len(wrong)} of {total} listed items without their yes: {wrong[:8]}"


@pytest.mark.parametrize("kind", ["other_job", "outside"])
def test_no_item_the_sheet_does_not_list_gets_a_yes(walk, kind):
    cases = _cases(kind)
    assert len(cases) > 20
    wrong = []
    for job_id, topic, item in cases:
        text = TEMPLATES[topic].format(item=item, job=_alias(job_id))
        responses, reply = _reply(f"ask_{topic}", text, job_id)
        if _says_yes(reply):
            wrong.append((text, responses, reply[:160]))
    assert not wrong, f"{len(wrong)} of {len(cases)} wrong oui: {wrong[:8]}"


def test_two_diplomas_asked_together_are_each_checked(walk):
    """"X et Y, les deux sont cités ?": two listed diplomas get one "oui" naming both; a listed one beside an outside
    one gets no "oui", the outside one named as not listed, the listed one still quoted (never "not listed" said of a
    diploma the sheet lists)."""
    wrong, checked = [], 0
    for job in queries.list_jobs():
        listed = [f.text for f in queries.topic_answer(job.id, "studies").facts
                  if _askable("studies", f) and fold(f.text).startswith(("bts", "but", "licence", "master"))
                  and len(f.text.split()) <= 4 and not {"et", "ou"} & set(fold(f.text).split())]  # as students write
        for first, second in zip(listed, listed[1:], strict=False):
            text = f"j'hésite entre {first} et {second}, les deux sont cités pour le {_alias(job.id)} ?"
            _, reply = _reply("ask_studies", text, job.id)
            checked += 1
            if not _says_yes(reply) or any(fold(x)[:20] not in fold(reply) for x in (first, second)):
                wrong.append(("both listed", text, reply[:200]))
        for outside in OUTSIDE["studies"][:4]:
            if not listed:
                break
            text = f"j'hésite entre {listed[0]} et {outside}, les deux sont cités pour le {_alias(job.id)} ?"
            _, reply = _reply("ask_studies", text, job.id)
            checked += 1
            folded = fold(reply)
            if _says_yes(reply) or fold(outside) not in folded or fold(listed[0])[:20] not in folded or \
                    f"pas « {fold(listed[0])}" in folded:
                wrong.append(("one outside", text, reply[:200]))
    assert checked >= 8
    assert not wrong, f"{len(wrong)} of {checked}: {wrong[:6]}"
