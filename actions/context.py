"""Plain functions that read the conversation: which job and topic a message is about, which buttons follow."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker

from common.wording import response_text
from knowledge import queries
from knowledge.glossary import terms_in
from knowledge.queries import JobInfo, TopicAnswer
from knowledge.question import FOLLOW_UP_WORDS, OPEN, analyse
from knowledge.sentences import repaired, sentences
from knowledge.text import fold
from knowledge.vocabulary import FILTER_KINDS, FilterValue, contains_phrase

TOPIC_INTENT_PREFIX = "ask_"
DEFAULT_TOPIC = "definition"
MAX_SUGGESTIONS = 4


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


ITEM_INTENT = "ask_item"  # "et la 2e ?", "cite les 3 premières": items of the list just shown
RUNNER_UP_CONFIDENCE = 0.15


def topic_of_intent(intent: str) -> str | None:
    """`ask_skills` -> `skills` when that topic exists; other intents name no topic."""
    if intent.startswith(TOPIC_INTENT_PREFIX) and intent[len(TOPIC_INTENT_PREFIX):] in queries.topics():
        return intent[len(TOPIC_INTENT_PREFIX):]
    return None


def requested_topic(tracker: Tracker) -> str:
    """The topic asked now, else the one in context ("et pour le back ?"), else the job's definition."""
    remembered = tracker.get_slot("topic")
    if not isinstance(remembered, str) or remembered not in queries.topics():
        remembered = None
    intent = latest_intent(tracker)
    topic = topic_of_intent(intent)
    if intent == ITEM_INTENT:
        # no item of a list by its rank after all ("dernier truc : il fait partie de quelle famille de métiers ?"):
        # the topic the NLU ranked next, when it gave it some weight
        ranking = tracker.latest_message.get("intent_ranking") or []
        topic = next((found for guess in ranking[1:3] if isinstance(guess, dict)
                      and (guess.get("confidence") or 0) >= RUNNER_UP_CONFIDENCE
                      and (found := topic_of_intent(str(guess.get("name") or "")))), None)
    return topic or remembered or DEFAULT_TOPIC


def question_text(tracker: Tracker) -> str:
    """The question to answer: the message, or the remembered one when the message only names a job.

    A button payload ("/ask_skills{...}") asks for a whole topic: it has no text to narrow the answer.
    """
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        return ""
    if latest_intent(tracker) == "inform_job" and not asks_more_than_a_job(text):
        remembered = tracker.get_slot("question")
        return remembered if isinstance(remembered, str) else ""
    # several sentences: the questions, not the context ("… depuis un stage d'observation. Le métier implique-t-il du
    # calcul ?" asks nothing about internships)
    asked = [q["text"] for q in tracker.latest_message.get("questions") or []
             if isinstance(q, dict) and isinstance(q.get("text"), str)]
    # "pardon, c'est l'expérience demandée que je voulais savoir": what the student corrects to
    return " ".join(asked) if asked and tracker.latest_message.get("context") else repaired(text)


def asks_more_than_a_job(text: str) -> bool:
    """A question with words of its own besides the job's name ("le back office demande de parler allemand ?"),
    read as a job alone by the NLU: its own words are the question, not the one remembered ("et pour le back ?")."""
    from knowledge.question import STATEMENT, analyse

    return bool(queries.content_terms(text)) and analyse(text, queries.vocabulary()).form != STATEMENT


def filter_entities(tracker: Tracker) -> list[FilterValue]:
    """The filters the NLU found (skill type and level, study level, diploma kind), as vocabulary values."""
    vocabulary = queries.vocabulary()
    spans = question_spans(tracker)
    found: list[FilterValue] = []
    for entity in tracker.latest_message.get("entities") or []:
        kind, value = entity.get("entity"), entity.get("value")
        if kind not in FILTER_KINDS or value is None:
            continue
        start = entity.get("start")
        if spans and isinstance(start, int) and not any(a <= start < b for a, b in spans):
            continue  # "Je vous remercie par avance.": a word of a sentence that asks nothing is no filter
        if isinstance(start, int) and teaches_in(tracker.latest_message.get("text") or "", start):
            continue  # "professeur en BTS Banque, …": the writer's class, not a diploma asked about
        item = vocabulary.filter_value(kind, str(value))
        if item and item not in found:
            found.append(item)
    return found


def teaches_in(text: str, start: int) -> bool:
    """Whether the words before `start` say the writer teaches there ("professeur en BTS Banque", "enseignante
    d'anglais en BTS"): a class named, not a diploma asked about."""
    return queries.vocabulary().teaches_before(fold(text[:start]))


def question_spans(tracker: Tracker) -> list[tuple[int, int]]:
    """Where the latest message's questions stand in its text, when the NLU split it into sentences (else [])."""
    text = tracker.latest_message.get("text") or ""
    spans = []
    for question in tracker.latest_message.get("questions") or []:
        asked = question.get("text") if isinstance(question, dict) else None
        if isinstance(asked, str) and asked and text.find(asked) >= 0:
            spans.append((text.find(asked), text.find(asked) + len(asked)))
    if not spans and not text.startswith("/"):
        # one question in the message (the NLU lists several only): the sentences that ask, when some do ("…
        # J'aimerais comprendre si … ? Merci d'avance." — "d'avance" is no skill level)
        said = sentences(text)
        asked_spans = [(s.start, s.end) for s in said if s.question]
        spans = asked_spans if len(asked_spans) < len(said) else []
    return spans if len(text.strip()) and spans else []


def mentioned_jobs(tracker: Tracker) -> list[JobInfo]:
    """Known jobs named in the latest message, in order, without repeats.

    The `job` entities come first; when the NLU found none, the message is searched for an alias
    written word for word (a spelling the entity extractor missed).
    """
    jobs: list[JobInfo] = []
    for value in tracker.get_latest_entity_values("job"):
        job = queries.resolve_job(value) if isinstance(value, str) else None
        if job and job not in jobs:
            jobs.append(job)
    return jobs or queries.jobs_in_text(tracker.latest_message.get("text") or "")


# "le middle il travaille avec le back pour quoi ?": a job named after "avec" is whom the other one works with
_WORKS_WITH = re.compile(r"\b(?:avec|aupres)\s+(?:du|des|de la|de l'|de|le|la|les|l')?\s*(?:gestionnaires?\s+)?"
                         r"(?:de\s+|du\s+)?$")


# "le rôle du middle-office par rapport au front-office et au back-office": what the job is placed against
_RELATIVE_TO = re.compile(r"\b(?:par rapport|compare|comparee|vis-a-vis|vis a vis)\s+"
                          r"(?:au|aux|a la|a l'|a|du|de la|de l')\b[^?.;,]*$")


def subject_jobs(text: str, jobs: list[JobInfo]) -> list[JobInfo]:
    """Of two jobs named, the one an open question is about when the other is only whom it works with; else `jobs`
    (a closed question, "le back travaille avec le middle ?", is answered from both sheets: either may say it)."""
    if len(jobs) != 2 or analyse(text, queries.vocabulary()).form != OPEN:
        return jobs
    folded = fold(text)
    mentions = queries.job_mentions(text)
    partners = {job for start, job in mentions
                if _WORKS_WITH.search(folded[:start]) or _RELATIVE_TO.search(folded[:start])}
    subjects = [job for job in jobs if job not in partners]
    return subjects if len(subjects) == 1 and partners else jobs


def whom_one_works_with(folded: str, start: int) -> bool:
    """Whether what starts at `start` of a folded message follows "avec", "auprès de": whom someone works with."""
    return bool(_WORKS_WITH.search(folded[:start]))


def named_as_partner_only(text: str, job: JobInfo) -> bool:
    """Whether every mention of `job` is whom someone works with ("et avec le back il fait quoi ensemble ?"): the
    question is then about the job before, not this one."""
    folded = fold(text)
    starts = [start for start, named in queries.job_mentions(text) if named == job]
    return bool(starts) and all(whom_one_works_with(folded, start) for start in starts)


# "il traite les réclamations comme le back ?" (of the middle office): a job named after "comme" is what the job in
# question is compared with, not that job
_LIKE = re.compile(r"\b(?:comme|autant que|pareil que|pareille que|a l'instar)\s+(?:du|des|de la|de l'|de|le|la|les|l'|"
                   r"un|une)?\s*(?:gestionnaires?\s+)?(?:de\s+|du\s+)?$")


def named_as_reference_only(text: str, job: JobInfo) -> bool:
    """Whether every mention of `job` is what another job is compared with ("il fait ça comme le back ?"): the
    question is then about the job before."""
    folded = fold(text)
    starts = [start for start, named in queries.job_mentions(text) if named == job]
    return bool(starts) and all(_LIKE.search(folded[:start]) for start in starts)


def outside_jobs(tracker: Tracker) -> tuple[str, ...]:
    """Jobs the NLU found that no sheet knows (`other_job`), as written."""
    return tuple(str(v) for v in tracker.get_latest_entity_values("other_job") if isinstance(v, str))


def asks_other_job(text: str) -> bool:
    """"et pour l'autre métier ?": the job that is not the one in context."""
    folded = fold(text)
    return any(contains_phrase(folded, cue) for cue in queries.vocabulary().other_job_words)


def asks_same_question(text: str) -> bool:
    """"et le middle il fait ça aussi ?", "c'est pareil pour le back ?": the same question again (of another job),
    the message naming nothing of its own (no fact, no topic)."""
    folded = fold(text)
    vocabulary = queries.vocabulary()
    cues = [match for cue in vocabulary.same_question_cues if (match := contains_phrase(folded, cue)) is not None]
    rest = folded
    for match in sorted(cues, key=lambda m: m.start(), reverse=True):  # "qui s'en charge": the cue, no fact word
        rest = rest[:match.start()] + " " + rest[match.end():]
    return bool(cues) and not queries.content_terms(rest) and not analyse(text, vocabulary).topics_named


def jobs_in_order(tracker: Tracker) -> list[JobInfo]:
    """The jobs the conversation was about (the events the action server was sent), first named first: named by the
    student, or taken up by the bot ("et pour l'autre ?" sets the other job)."""
    named: list[JobInfo] = []
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") == "job" and isinstance(event.get("value"), str):
            taken_up = queries.resolve_job(event["value"])
            if taken_up is not None and taken_up not in named:
                named.append(taken_up)
            continue
        if event.get("event") != "user":
            continue
        entities = (event.get("parse_data") or {}).get("entities") or []
        values = [e.get("value") for e in entities if isinstance(e, dict) and e.get("entity") == "job"]
        jobs = [queries.resolve_job(v) for v in values if isinstance(v, str)]
        for job in [j for j in jobs if j] or queries.jobs_in_text(str(event.get("text") or "")):
            if job not in named:
                named.append(job)
    return named


def job_by_rank(tracker: Tracker, text: str) -> JobInfo | None:
    """"c'est quoi déjà le premier ?": the job named first (or second) in the conversation, when two were named."""
    folded = fold(text)
    vocabulary = queries.vocabulary()
    rank = 0 if any(contains_phrase(folded, cue) for cue in vocabulary.first_job_words) else \
        1 if any(contains_phrase(folded, cue) for cue in vocabulary.second_job_words) else None
    if rank is None:
        return None
    named = jobs_in_order(tracker)
    return named[rank] if len(named) >= 2 else None


def silent_subject(text: str) -> str | None:
    """An everyday subject no sheet covers that the message names ("quel âge", "dans quelles villes"), or None."""
    folded = fold(text)
    return next((label for label, words in queries.vocabulary().silent_subjects.items()
                 if any(contains_phrase(folded, w) for w in words)), None)


def compared_last(tracker: Tracker, compare_action: str) -> bool:
    """Whether the bot's last answer set the jobs side by side: the compare action ran and said a comparison (or
    answered several jobs) — not when it answered one job ("pareil pour le back ?" read as a comparison)."""
    if last_action(tracker) != compare_action:
        return False
    said = _said_last(tracker)
    return len(said) > 1 or said_comparison_last(tracker)


def said_comparison_last(tracker: Tracker) -> bool:
    """Whether the bot's last answer set the jobs side by side, whichever action said it (a comparison read in a
    topic question: "Lequel demande de l'anglais ?")."""
    return any(str((event.get("metadata") or {}).get("utter_action") or "").startswith("utter_compare")
               for event in _said_last(tracker))


def last_answer_text(tracker: Tracker) -> str:
    """The text of the bot's answer to the student's message before the latest one (its messages joined)."""
    return "\n".join(str(event.get("text") or "") for event in _said_last(tracker))


def _said_last(tracker: Tracker) -> list[dict[str, Any]]:
    """The bot's messages between the student's last two messages."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    if len(users) < 2:
        return []
    return [event for event in tracker.events[users[-2]:users[-1]] if event.get("event") == "bot"]


def terms_just_explained(tracker: Tracker) -> list[str]:
    """The glossary terms the bot's last answer explained (the terms of the message it answered with a definition)."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    if len(users) < 2:
        return []
    said = [str((event.get("metadata") or {}).get("utter_action") or "")
            for event in tracker.events[users[-2]:users[-1]] if event.get("event") == "bot"]
    if not any(name.startswith("utter_term_defined") for name in said):
        return []
    return [term.id for term in terms_in(fold(previous_user_text(tracker)), queries.glossary())]


def last_action(tracker: Tracker) -> str | None:
    """The bot's last action before the latest message (not listening), e.g. "action_compare_jobs"."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def previous_user_text(tracker: Tracker) -> str:
    """The student's message before the latest one ("" if none, or a button)."""
    texts = [e.get("text") for e in tracker.events if e.get("event") == "user"]
    previous = texts[-2] if len(texts) > 1 else None
    return previous if isinstance(previous, str) and not previous.startswith("/") else ""


def mentions_other_job(tracker: Tracker) -> bool:
    return any(True for _ in tracker.get_latest_entity_values("other_job"))




def other_job_in_careers(tracker: Tracker) -> bool:
    """"et un comptable ?" right after "un contrôleur de gestion peut aller en middle office ?": a job no sheet has,
    asked of the careers of the job in context — checked against that list, not "I only know two jobs"."""
    shown = tracker.get_slot("topic")
    text = question_text(tracker) or ""
    # (the NLU may miss the job: "et devenir directeur financier ?" names one by the claims' job words)
    named = mentions_other_job(tracker) or any(
        not item.diploma for item in queries.claim_reader().items(queries.without_job_names(text)))
    return (named and not mentioned_jobs(tracker) and context_job(tracker) is not None
            and isinstance(shown, str) and shown in queries.claim_reader().words.job_topics
            and len(text.split()) <= FOLLOW_UP_WORDS)


def context_job(tracker: Tracker) -> JobInfo | None:
    """The job the conversation is about (the `job` slot), if it names a known job."""
    value = tracker.get_slot("job")
    return queries.resolve_job(value) if isinstance(value, str) else None


def job_before(tracker: Tracker) -> JobInfo | None:
    """The job the conversation was about before the latest message (the `job` slot then: Rasa fills the slot from
    the message's job entity before the actions run)."""
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    value = None
    for event in tracker.events[:users[-1]] if users else []:
        if event.get("event") == "slot" and event.get("name") == "job":
            value = event.get("value")
    return queries.resolve_job(value) if isinstance(value, str) else None


def slot_is_unreadable(tracker: Tracker, name: str) -> bool:
    """A slot holding what the actions cannot read (not text, or a job the base does not know)."""
    value = tracker.get_slot(name)
    if value is None:
        return False
    if not isinstance(value, str):
        return True
    return name == "job" and queries.resolve_job(value) is None


def payload(intent: str, job_id: str | None = None) -> str:
    return f"/{intent}" + (json.dumps({"job": job_id}) if job_id else "")


def job_buttons(jobs: Iterable[JobInfo] | None = None) -> list[dict[str, Any]]:
    """One button per job (every known job by default), keeping the topic in context."""
    return [{"title": job.name, "payload": payload("inform_job", job.id)}
            for job in (queries.list_jobs() if jobs is None else jobs)]


def topic_buttons(job_id: str | None, topics: list[str]) -> list[dict[str, Any]]:
    catalogue = queries.topics()
    return [{"title": catalogue[t].ask, "payload": payload(f"ask_{t}", job_id)} for t in topics[:MAX_SUGGESTIONS]]


def suggestions(answer: TopicAnswer) -> list[dict[str, Any]]:
    """2-4 likely next questions: the topic's `next` topics the sheet covers, then the other job."""
    catalogue = queries.topics()
    wanted = [t for t in catalogue[answer.topic].next if t in answer.covered_topics and t != answer.topic]
    if len(wanted) < 2:
        wanted += [t for t in answer.covered_topics if t not in wanted and t != answer.topic]
    buttons = topic_buttons(answer.job.id, wanted[: MAX_SUGGESTIONS - 1])
    others = [job for job in queries.list_jobs() if job.id != answer.job.id]
    if len(others) == 1:
        title = response_text("utter_button_other_job", job_name=lower_first(others[0].name))
        buttons.append({"title": title, "payload": payload("inform_job", others[0].id)})
    return buttons


def advisor_button() -> dict[str, Any]:
    """"Poser ma question à un conseiller": offered wherever the bot cannot answer (actions/advisor.py)."""
    return {"title": response_text("utter_button_ask_advisor"), "payload": "/ask_advisor"}


def with_advisor(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*buttons, advisor_button()]


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
