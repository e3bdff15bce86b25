"""A rephrasing told from a follow-up (ops/console/rephrase.py), on messages written here."""
from __future__ import annotations

import pytest

from ops.console.rephrase import Said, content_words, corrects, rephrases

STUDIES_BO = Said("quelles études pour le back office ?", "ask_studies", "back-office", 0.9,
                  "Études et diplômes : BTS Banque, BUT GEA, Master Banque, finance, comptabilité")


@pytest.mark.parametrize("second,expected", [
    # the same question in other words, same intent and job
    (Said("il faut faire quelles études pour devenir gestionnaire back office", "ask_studies", "back-office"), True),
    # says it corrects, whatever the intent understood
    (Said("non je voulais dire les études, pas les compétences", "ask_skills", "back-office"), True),
    (Said("*back office", "inform_job", "back-office"), True),
    # a follow-up: another job, "et …", thanks, an item picked from the answer
    (Said("quelles études pour le middle office ?", "ask_studies", "middle-office"), False),
    (Said("et les compétences ?", "ask_skills", "back-office"), False),
    (Said("merci ! et le rythme ?", "ask_rhythm", "back-office"), False),
    (Said("le BTS banque ça dure combien de temps ?", "ask_studies", "back-office"), False),
    # another topic, nothing in common
    (Said("il bosse avec qui ?", "ask_interlocutors", "back-office"), False),
])
def test_rephrasing_or_follow_up(second, expected):
    assert rephrases(STUDIES_BO, second) is expected


def test_after_a_miss_a_new_try_on_the_same_subject_is_a_rephrasing():
    first = Said("c koi le taf en bo", "nlu_fallback", "back-office", 0.2, "Tu veux savoir quoi ?", missed=True)
    assert rephrases(first, Said("le travail du back office c'est quoi au quotidien", "ask_missions", "back-office"))


def test_content_words_skip_function_words_job_names_and_endings():
    assert content_words("Quelles compétences pour le back-office ?") == content_words("competence middle office")
    assert not content_words("c'est quoi le back office ?")


@pytest.mark.parametrize("text,expected", [
    ("non pas le middle, le back office", True), ("je reformule : quelles études ?", True),
    ("nonobstant les études ?", False), ("et les études ?", False)])
def test_corrections(text, expected):
    assert corrects(text) is expected
