"""In-process figures for `make bench`: what the answer planner costs, and how the fact search's scorers compare.

- planner cost: the real action (`action_answer_topic`, real Tracker and dispatcher, the real knowledge base)
  on whole-topic and precise questions, against the path that existed before the planner (the topic's
  answer sent as is), in the same run: the difference is what the planner adds per message;
- scorers: Snowball's French stemmer (the one used) against the hand-written prefix stemmer, on a labelled
  set of messages whose best fact is known: top-1 accuracy and time per search.
"""
from __future__ import annotations

import statistics
import time

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

PRECISE_QUESTIONS = [
    ("ask_missions", "le back office gere les reclamations clients ?"),
    ("ask_skills", "quel niveau d'anglais pour le middle office ?"),
    ("ask_skills", "seulement les competences comportementales du middle office"),
    ("ask_studies", "le code rncp du master finance"),
    ("ask_careers", "apres le middle office on peut devenir trader ?"),
    ("ask_studies", "quelles etudes et quelles competences pour le back office ?"),
    ("ask_missions", "le back office fait du reporting ?"),
    ("ask_studies", "faut il un doctorat pour le back office ?"),
    ("ask_trainings", "MIF 2 c'est pour quel metier ?"),
    ("ask_rhythm", "au middle on travaille pour couvrir les marches du monde ?"),
]
TOPIC_QUESTIONS = [
    ("ask_skills", "quelles competences pour le middle office ?"), ("ask_missions", "les missions du back office"),
    ("ask_studies", "quelles etudes pour le back office ?"), ("ask_rhythm", "le rythme de travail en middle office"),
    ("ask_qualities", "quelles qualites pour le back office ?"),
    ("ask_careers", "quelles evolutions apres le back office"),
]
# (message, job searched or None, job of the best fact, words of the best fact): also tests/knowledge/test_matching.py
LABELLED = [
    ("le back office gère les outils monétiques ?", "back-office", "back-office", "outils monétiques"),
    ("il lance les procedures de recouvrement ?", "back-office", "back-office", "recouvrement"),
    ("ils traitent les RECLAMATIONS ?", "back-office", "back-office", "réclamations clients"),
    ("il traite les reclamtions", "back-office", "back-office", "réclamations clients"),
    ("les heritages c'est lui ?", "back-office", "back-office", "succession"),
    ("il achete et vend des titres en bourse ?", "back-office", "back-office", "achat et de vente de titres"),
    ("encadrer une equipe", "middle-office", "middle-office", "Encadrer une équipe"),
    ("niveau d'anglais", "middle-office", "middle-office", "anglais"),
    ("le tableau de bord", "middle-office", "middle-office", "tableau de bord"),
    ("gerer le stress", "middle-office", "middle-office", "stress"),
    ("il fait la facturation des clients ?", "middle-office", "middle-office", "facturation"),
    ("reporting pour le management", None, "middle-office", "reporting"),
    ("le rncp du master finance", None, "middle-office", "Master - Finance"),
    ("la licence pro assurance banque finance", None, "middle-office", "Assurance, banque, finance"),
    ("MIF 2", None, "middle-office", "MIF 2"),
    ("la certif AMF", None, "middle-office", "AMF"),
    ("1 220", None, "middle-office", "1 220"),
    ("controleur de gestion", "middle-office", "middle-office", "Contrôleur de gestion"),
    ("devenir auditeur", "middle-office", "middle-office", "Auditeur"),
    ("secretaire general", None, "middle-office", "Secrétaire général"),
    ("le BUT GEA", "back-office", "back-office", "GEA"),
    ("bac pro gestion administration", "back-office", "back-office", "Gestion administration"),
    ("esprit d'equipe", "back-office", "back-office", "Esprit d'équipe"),
    ("rigueur", "back-office", "back-office", "Rigueur"),
    ("couvrir les marches du monde", "middle-office", "middle-office", "marchés du monde"),
    ("des horaires assez stables", "middle-office", "middle-office", "stables"),
    ("conseillers de clientele", "back-office", "back-office", "conseillers de clientèle"),
    ("crise sanitaire", "middle-office", "middle-office", "crise sanitaire"),
    ("reglement livraison", "middle-office", "middle-office", "règlement-livraison"),
    ("prets et garanties", "back-office", "back-office", "prêts et garanties"),
]


def _tracker(intent: str, text: str) -> Tracker:
    from knowledge import queries

    entities = [{"entity": "job", "value": job.id} for job in queries.jobs_in_text(text)]
    latest = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities, "text": text}
    return Tracker("bench", {}, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None, {},
                   "action_listen")


def _ms(run, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def planner_cost(rounds: int = 30) -> dict:
    """Per-message time of the action with the planner, and of the pre-planner path, on the same questions."""
    from actions import context
    from actions.answer_topic import ActionAnswerTopic
    from actions.dispatch import dispatch_answer
    from knowledge import queries

    action = ActionAnswerTopic()

    def before(intent: str, text: str) -> None:  # what the action did before the planner
        tracker = _tracker(intent, text)
        job = (context.mentioned_jobs(tracker) or [None])[0]
        if job:
            dispatch_answer(CollectingDispatcher(), queries.topic_answer(job.id, context.requested_topic(tracker)))

    result = {}
    for name, questions in (("topic_questions", TOPIC_QUESTIONS), ("precise_questions", PRECISE_QUESTIONS)):
        for intent, text in questions:  # warm the caches (knowledge base answers, stems, index)
            action.run(CollectingDispatcher(), _tracker(intent, text), {})
            before(intent, text)
        with_planner = [
            t for intent, text in questions
            for t in _ms(lambda i=intent, m=text: action.run(CollectingDispatcher(), _tracker(i, m), {}), rounds)]
        without = [t for intent, text in questions for t in _ms(lambda i=intent, m=text: before(i, m), rounds)]
        p50_with, p50_without = statistics.median(with_planner), statistics.median(without)
        result[name] = {"with_planner_p50_ms": round(p50_with, 3), "before_planner_p50_ms": round(p50_without, 3),
                        "added_p50_ms": round(p50_with - p50_without, 3)}
    return result


def scorer_comparison() -> dict:
    """Top-1 accuracy and time per search of the two stemmers on the labelled messages."""
    from knowledge import queries
    from knowledge.matching import Analyzer, FactIndex

    repository = queries.default_repository()
    snowball = repository.fact_index()
    prefix = FactIndex(snowball.facts, Analyzer(repository.vocabulary, snowball.analyzer.ignored, stemmer="prefix"))
    result = {}
    for name, index in (("snowball", snowball), ("prefix", prefix)):
        hits, timings = 0, []
        for text, searched, job_id, words in LABELLED:
            start = time.perf_counter()
            found = index.search(text, (searched,) if searched else None)
            timings.append((time.perf_counter() - start) * 1000)
            best = found[0] if found else None
            hits += bool(best and best.coverage >= 0.5 and best.fact.job_id == job_id
                         and words.lower() in best.fact.text.lower())
        result[name] = {"top1": f"{hits}/{len(LABELLED)}", "accuracy": round(hits / len(LABELLED), 3),
                        "search_p50_ms": round(statistics.median(timings), 3)}
    return result
