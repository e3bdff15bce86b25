"""End to end over REST: the real Rasa model, the real action server and knowledge base, fresh senders."""
from __future__ import annotations

import pytest

from tests.e2e.chat import Chat, stored_events

HONEST = "ne donne pas d'information"

# (question, facts that must be in the reply, facts that must not)
TOPIC_CASES = {
    "mo-definition": ("c'est quoi un gestionnaire middle office ?", ["intermediaire entre le front-office", "middle / back office"], []),
    "bo-definition": ("c'est quoi le metier de gestionnaire de back office", ["enregistre les operations financieres"], ["front-office"]),
    "mo-missions": ("quelles sont les missions du middle office ?", ["valorisation des operations", "reporting quotidien", "controler les risques operationnels"], []),
    "bo-missions": ("que fait un gestionnaire back office au quotidien ?", ["outils monetiques", "dossiers de succession", "reclamations clients"], ["valorisation"]),
    "mo-studies": ("quelles etudes pour travailler en middle office ?", ["niveau 6 licence (bac + 3)", "master - finance (rncp 32159)"], []),
    "bo-studies": ("quelles etudes faire pour le back office ?", ["bts banque", "stmg", "magistere banque-finance"], ["rncp"]),
    "mo-rhythm": ("c'est quoi les horaires en middle office ?", ["assez stables", "deplacements sont peu frequents"], []),
    "bo-rhythm": ("c'est quoi les horaires en back office ?", [HONEST], ["stables", "plages horaires"]),
    "mo-skills": ("quelles competences pour le middle office ?", ["encadrer une equipe (niveau maitrise, technique)", "concevoir et analyser un tableau de bord (niveau avance, organisationnelle)"], []),
    "bo-skills": ("quelles competences pour le back office ?", ["applicatifs de gestion", "prets et garanties", "maitrise de l'anglais"], ["tableau de bord"]),
    "mo-qualities": ("quelles qualites pour etre gestionnaire middle office ?", [HONEST, "gerer des situations de stress"], ["rigueur et organisation"]),
    "bo-qualities": ("quelles qualites faut il pour le back office ?", ["rigueur et organisation", "esprit d'equipe"], []),
    "mo-interlocutors": ("avec qui travaille le middle office ?", ["services support des clients", "front-office"], []),
    "bo-interlocutors": ("avec qui bosse le back office ?", ["conseillers de clientele", "informatique, monetique, data"], []),
    # "après le MO": the moves from it (the jobs one comes from are a button away, "Voir tout : évolutions")
    "mo-careers": ("quelles evolutions de carriere apres le middle office ?",
                   ["auditeur", "secretaire general", "voir tout : evolutions"], ["controleur de gestion"]),
    "bo-careers": ("quelles perspectives d'evolution en back office ?", ["responsable d'unite de traitements bancaires", "charge d'affaires professionnels"], ["auditeur"]),
    "mo-trainings": ("quelles formations recommandees pour le middle office ?", ["fraude interne / externe", "mif 2", "rgpd"], []),
    "bo-trainings": ("quelles formations recommandees pour le back office ?", [HONEST, "bts banque"], ["fraude"]),
    "mo-figures": ("les chiffres cles du middle office ?", ["1 220", "entre 2 et 5 ans"], ["%"]),
    "bo-figures": ("combien d'emplois en back office ?", [HONEST], ["1 220"]),
    "mo-source": ("d'ou viennent tes infos sur le middle office ?", ["observatoire des metiers", "idcc 2931"], []),
    "bo-source": ("d'ou viennent tes infos sur le back office ?", ["desmetiersquibougent.jinvestislavenir.fr"], []),
    "salary": ("combien gagne un gestionnaire back office ?", ["ne donnent pas d'information"], ["€", "euros"]),
    "telework": ("on peut faire du teletravail en middle office ?", ["ne donnent pas d'information"], []),
}


def _check(case: str, reply: str, must: list[str], must_not: list[str]) -> None:
    for fact in must:
        assert fact in reply, f"{case}: {fact!r} missing in {reply[:400]!r}"
    for fact in must_not:
        assert fact not in reply, f"{case}: {fact!r} must not be in {reply[:400]!r}"


@pytest.mark.parametrize("case", list(TOPIC_CASES))
def test_topic_answers(stack, case):
    question, must, must_not = TOPIC_CASES[case]
    reply = Chat(stack.settings.rasa_url).ask(question)
    _check(case, reply, must, must_not)
    if HONEST not in must and "ne donnent pas" not in " ".join(must) and not case.endswith("source"):
        assert "source" in reply


def test_followup_other_job_same_topic(stack):
    chat = Chat(stack.settings.rasa_url)
    assert "tableau de bord" in chat.ask("quelles competences pour le middle office ?")
    reply = chat.ask("et pour le back-office ?")
    assert "applicatifs de gestion" in reply and "tableau de bord" not in reply


def test_followup_other_topic_same_job(stack):
    chat = Chat(stack.settings.rasa_url)
    assert "intermediaire" in chat.ask("parle moi du middle office")
    assert "secretaire general" in chat.ask("et ses perspectives ?")


def test_followup_short_job_name(stack):
    chat = Chat(stack.settings.rasa_url)
    assert "monetiques" in chat.ask("les missions du back office stp")
    assert "valorisation" in chat.ask("et le middle ?")


def test_clarification_asks_which_job_then_answers(stack):
    # (a topic both sheets cover: one that only one sheet covers is answered from it, the other said silent)
    chat = Chat(stack.settings.rasa_url)
    messages = chat.say("il faut quelles competences ?")
    titles = [b["title"] for m in messages for b in m.get("buttons") or []]
    assert titles == ["Gestionnaire de back-office", "Gestionnaire middle-office"]
    payload = next(b["payload"] for m in messages for b in m["buttons"] if "back-office" in b["payload"])
    assert "applicatifs de gestion" in chat.ask(payload)


def test_no_job_and_a_topic_one_sheet_alone_covers_gets_that_sheets_answer(stack):
    reply = Chat(stack.settings.rasa_url).ask("il faut quelles qualites ?")
    assert "rigueur et organisation" in reply and "middle-office ne le cite pas" in reply


def test_unknown_job_gets_no_facts(stack):
    reply = Chat(stack.settings.rasa_url).ask("quelles sont les competences d'un trader ?")
    assert "je ne connais que deux metiers" in reply
    assert "tableau de bord" not in reply and "applicatifs" not in reply


def test_out_of_scope_then_topic_buttons(stack):
    chat = Chat(stack.settings.rasa_url)
    first = chat.say("raconte moi une blague")
    assert "middle-office" in first[0]["text"]
    second = chat.say("azertyuiop qsdfgh")
    assert any(b["payload"].startswith("/ask_") for m in second for b in m.get("buttons") or [])


def test_comparison(stack):
    reply = Chat(stack.settings.rasa_url).ask("quelle difference entre le middle office et le back office ?")
    assert "gestionnaire middle-office" in reply and "gestionnaire de back-office" in reply
    assert "valorisation" in reply and "monetiques" in reply


def test_every_factual_answer_offers_buttons(stack):
    messages = Chat(stack.settings.rasa_url).say("quelles etudes pour le back office ?")
    assert 2 <= len(messages[-1]["buttons"]) <= 4


# Precise questions (the answer planner): (question, must be in the reply, must not)
PRECISE_CASES = {
    "yes": ("le back office gere les reclamations clients ?", ["oui", "traiter les reclamations clients", "source"], []),
    "no-other-job": ("le back office fait du reporting ?", ["ne le cite pas", "gestionnaire middle-office",
                                                            "reporting quotidien"], ["oui"]),
    # a job the sheet does not list: "non, la fiche ne cite pas « trader »", then the moves it lists
    "not-in-any-sheet": ("apres le middle office on peut devenir trader ?", ["ne cite pas", "trader", "auditeur"],
                         ["oui"]),
    "one-attribute": ("quel niveau d'anglais pour le middle office ?", ["anglais en contexte professionnel (niveau maitrise"],
                      ["tableau de bord", "encadrer"]),
    "code-and-link": ("c'est quoi le code rncp du master finance ?", ["rncp 32159", "francecompetences.fr/recherche/rncp/32159"],
                      ["licence"]),
    "count": ("combien d'emplois en middle office ?", ["1 220 emplois", "voir tout"], []),
    "filter": ("donne moi seulement les competences comportementales du middle office",
               ["4 sur 12", "competences comportementales", "stress"], ["tableau de bord", "encadrer une equipe"]),
    "filter-none": ("faut il un doctorat pour le back office ?", ["ne cite pas ce type d'element", "il n'y en a aucun", "bts banque"], ["oui"]),
    "two-topics": ("quelles etudes et quelles competences pour le back office ?", ["bts banque", "maitrise de l'anglais"], []),
}


@pytest.mark.parametrize("case", list(PRECISE_CASES))
def test_precise_answers(stack, case):
    question, must, must_not = PRECISE_CASES[case]
    _check(case, Chat(stack.settings.rasa_url).ask(question), must, must_not)


def test_precise_question_then_et_pour_le_back_office(stack):
    chat = Chat(stack.settings.rasa_url)
    assert "anglais en contexte professionnel" in chat.ask("quel niveau d'anglais au middle office ?")
    reply = chat.ask("et pour le back-office ?")
    assert "maitrise de l'anglais" in reply and "applicatifs" not in reply
    reply = chat.ask("et les qualites ?")
    assert "rigueur et organisation" in reply


def test_an_answer_is_rated_over_rest_and_a_bad_rating_is_refused(stack):
    import json
    import urllib.error
    import urllib.request

    from common.feedback import FeedbackStore

    chat = Chat(stack.settings.rasa_url)
    text = chat.say("quelles études pour le back office ?")[0]["text"]
    url = f"{stack.settings.rasa_url}/webhooks/rest/feedback"

    def post(body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    assert post({"sender": chat.sender, "rating": "down", "reason": "incomplete", "answer": text}) == (
        200, {"status": "saved"})
    status, body = post({"sender": chat.sender, "rating": "meh", "answer": text})
    assert status == 400 and "rating" in body["error"]
    status, body = post({"rating": "up", "answer": text})  # no sender: refused like a message without one
    assert status == 400
    [rating] = FeedbackStore(stack.settings.tracker_db_url).ratings(chat.sender)
    assert (rating.rating, rating.reason) == ("down", "incomplete")


@pytest.mark.parametrize("payload", ["/get_started", "/start", "get_started"])
def test_a_widgets_start_payload_gets_the_greeting(stack, payload):
    """rasa-webchat opens with its initPayload ("/get_started"): the greeting, through the greet intent and its rule,
    never "je n'ai pas compris"."""
    chat = Chat(stack.settings.rasa_url)
    reply = chat.ask(payload)
    assert reply.startswith("salut !") and "pas compris" not in reply and "pose ta question" not in reply, reply
    users = [data for kind, data in stored_events(stack.settings.tracker_db_url, chat.sender) if kind == "user"]
    assert [user["parse_data"]["intent"]["name"] for user in users] == ["greet"]
