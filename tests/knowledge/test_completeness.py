"""Counts a reader can check in the sheets: the base holds every fact of both sheets."""
from __future__ import annotations

import pytest


def _texts(answer):
    return [f.text for f in answer.facts]


def _groups(answer):
    return list(dict.fromkeys(f.group for f in answer.facts))


def test_middle_office_skills_have_level_and_type(repo):
    skills = repo.topic_answer("middle-office", "skills").facts
    assert len(skills) == 12
    assert all(s.level in (1, 2, 3, 4) and s.level_label and s.skill_type for s in skills)
    by_name = {s.text: (s.level, s.level_label, s.skill_type) for s in skills}
    assert by_name["Encadrer une équipe"] == (3, "Maîtrise", "technique")
    conformity = by_name["Vérifier la conformité de l'enregistrement d'opérations financières"]
    assert conformity == (4, "Expertise", "technique")
    assert by_name["Concevoir et analyser un tableau de bord"] == (2, "Avancé", "organisationnelle")
    assert sum(s.skill_type == "comportementale" for s in skills) == 4


def test_middle_office_missions_keep_three_blocks(repo):
    missions = repo.topic_answer("middle-office", "missions")
    assert _groups(missions) == [
        "S'assurer du bon traitement des opérations",
        "Contrôler les risques opérationnels",
        "Coordonner des interlocuteurs variés",
    ]
    assert len(missions.facts) == 12


def test_middle_office_trainings(repo):
    trainings = repo.topic_answer("middle-office", "trainings").facts
    general = [f for f in trainings if "générales" in f.group]
    specific = [f for f in trainings if "spécifiques" in f.group]
    assert len(general) == 5 and len(specific) == 1
    assert specific[0].text.startswith("MIF 2")


def test_middle_office_careers(repo):
    careers = repo.topic_answer("middle-office", "careers").facts
    origin = [f.text for f in careers if "vient" in f.group]
    destination = [f.text for f in careers if "évoluer" in f.group]
    assert origin == ["Contrôleur de gestion", "Gestionnaire back-office", "Analyste financier / crédit"]
    assert destination == ["Auditeur", "Gestionnaire back-office", "Secrétaire général"]


def test_middle_office_studies_and_figures(repo):
    studies = repo.topic_answer("middle-office", "studies").facts
    rncp = [f for f in studies if f.code]
    assert len(rncp) == 5 and all(f.url.endswith(f.code.split()[-1]) for f in rncp)
    assert sum(1 for f in studies if f.text.startswith("Niveau")) == 3
    figures = repo.topic_answer("middle-office", "figures").facts
    assert figures[0].text == "1 220 emplois"
    assert [f.text for f in figures if "expérience" in f.group] == [
        "1ère expérience ou jeune diplômé(e)", "Entre 2 et 5 ans", "Entre 5 et 10 ans"]
    assert not any("%" in f.text for f in figures)


def test_middle_office_rhythm_and_travel(repo):
    rhythm = repo.topic_answer("middle-office", "rhythm").facts
    assert len(rhythm) == 5
    assert rhythm[-1].text == "Les déplacements sont peu fréquents."


@pytest.mark.parametrize("topic,count", [
    ("missions", 6), ("skills", 5), ("qualities", 3), ("careers", 3), ("definition", 4), ("studies", 15),
    ("interlocutors", 3),
])
def test_back_office_counts(repo, topic, count):
    assert len(repo.topic_answer("back-office", topic).facts) == count


def test_back_office_studies_groups(repo):
    studies = repo.topic_answer("back-office", "studies")
    assert [len([f for f in studies.facts if f.group == g]) for g in _groups(studies)] == [3, 6, 6]


def test_sources(repo):
    mo = repo.topic_answer("middle-office", "source").facts[0]
    bo = repo.topic_answer("back-office", "source").facts[0]
    assert "IDCC 2931" in mo.text
    assert "métiers qui bougent" in bo.text and bo.url == "https://desmetiersquibougent.jinvestislavenir.fr/"
