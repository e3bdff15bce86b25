"""knowledge/vocabulary.yml's topic names: every word of a name is ignored by the fact search, so none may be a
word the facts themselves use (else a question about that fact could no longer find it)."""
from __future__ import annotations

import re

import pytest

from common.settings import PROJECT_DIR
from knowledge.loader import load_all
from knowledge.queries import vocabulary
from knowledge.text import fold

# Names that were in the vocabulary before this test, whose words facts also use; their search cost is known
# and accepted (a topic asked by that word is far more frequent than a fact searched by it).
ACCEPTED = {"activite", "avec", "certification", "certifications", "conditions", "deplacements", "diplome", "diplomes",
            "emploi", "est", "etre", "evoluer", "evolution", "evolutions", "formation", "formations", "horaires",
            "interlocuteurs", "metier", "perspectives", "qualite", "qui", "quotidien", "recommandees", "role",
            "rythme", "services", "temps"}


def _fact_words() -> set[str]:
    words: set[str] = set()
    for job in load_all(PROJECT_DIR / "knowledge")[1]:
        for fact in job.facts:
            words |= set(re.findall(r"[a-z0-9]+", fold(" ".join(filter(None, [fact.text, fact.group or ""])))))
    return words


@pytest.mark.parametrize("topic", sorted(vocabulary().topic_names))
def test_topic_names_do_not_hide_fact_words(topic):
    facts = _fact_words()
    words = {w for name in vocabulary().topic_names[topic] for w in re.findall(r"[a-z0-9]+", name)}
    hidden = sorted(w for w in words if w in facts and w not in ACCEPTED and len(w) > 2)
    assert not hidden, f"topic_names/{topic}: {hidden} are words of facts; the fact search would ignore them"


def test_a_duration_asked_is_no_count():
    from knowledge import queries

    vocabulary = queries.vocabulary()
    assert vocabulary.asks_count("combien de competences ?") and vocabulary.asks_count("il y a combien de postes")
    assert not vocabulary.asks_count("et en combien de temps on evolue ?")
    assert not vocabulary.asks_count("le bts c'est combien d'annees")


def test_a_precise_value_is_stated_only_by_its_own_form():
    from knowledge.queries import vocabulary

    words = vocabulary()
    assert words.precise_value_asked("il commence a quelle heure ?") == "heures précises"
    assert words.states_value("heures précises", "de 9h a 18h") and words.states_value("heures précises", "vers 8 h")
    assert not words.states_value("heures précises", "les horaires peuvent varier")
    assert words.states_value("proportions", "40 % des offres")
    assert not words.states_value("proportions", "1 220 emplois")


def test_sms_function_words_are_no_words_searched(default_kb):
    """"jveu savoir si fo etre bon en anglai pr le bo": only "anglais" is searched in the facts."""
    from knowledge import queries

    assert queries.content_terms("jveu savoir si fo etre bon en anglai pr le bo") == ["anglais"]


def test_a_phrase_students_write_for_a_word_of_the_sheets_reads_as_that_word():
    """"si le client paie pas": an unpaid debt (the recovery mission), no question about the pay ("la paie")."""
    from knowledge import queries
    from knowledge.question import analyse
    from knowledge.vocabulary import said_plainly

    assert said_plainly("et si le client paie pas ?", vocabulary()) == "et si le client impaye ?"
    assert said_plainly("la paie c'est combien ?", vocabulary()) == "la paie c'est combien ?"
    # the job's pay ("ça paie pas bien ?") stays a question about pay
    pay = "le back office ca paie pas beaucoup ?"
    assert said_plainly(pay, vocabulary()) == pay
    # everyday words for a word of the sheets
    assert said_plainly("et quand les clients sont pas contents ?", vocabulary()) == \
        "et quand les clients sont reclamation ?"
    assert "salary" not in analyse("et si le client paie pas ?", vocabulary()).topics_named
    assert "salary" in analyse("la paie c'est combien ?", vocabulary()).topics_named
    found = queries.find_facts("et si le client paie pas ?", ("back-office",))
    assert "recouvrement" in found[0].fact.text


def test_the_words_of_a_polite_request_are_no_words_searched():
    """"Pouvez-vous me confirmer qu'elle aura … qui que ce soit ?": the request's words are not the sheets'."""
    from knowledge import queries

    terms = queries.content_terms("Pouvez-vous me confirmer qu'elle aura besoin de convaincre qui que ce soit ?")
    assert terms == ["convaincr"], terms


def test_which_of_two_is_no_yes_no_question():
    from knowledge.question import OPEN, YES_NO, analyse

    assert analyse("c'est plus technique ou relationnel le middle ?", vocabulary()).form == OPEN
    assert analyse("il travaille plutôt en interne ou avec les clients ?", vocabulary()).form == OPEN
    assert analyse("il bosse avec les clients ou pas ?", vocabulary()).form == YES_NO
