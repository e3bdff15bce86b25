"""Which facts a message is about: the search, the question's shape, the filters and the vocabulary file."""
from __future__ import annotations

import pytest

from knowledge.loader import DataFileError
from knowledge.matching import FAMILY_SIMILARITY, Analyzer, FactIndex, similarity
from knowledge.question import OPEN, STATEMENT, YES_NO, analyse
from knowledge.vocabulary import load_vocabulary
from ops.bench_planner import LABELLED


@pytest.mark.parametrize("text,searched,job_id,words", LABELLED)
def test_best_fact_is_the_one_the_message_names(repo, text, searched, job_id, words):
    found = repo.find_facts(text, (searched,) if searched else None)
    assert found, text
    best = found[0]
    assert best.job.id == job_id and words.lower() in best.fact.text.lower(), (text, best)
    assert best.coverage >= 0.5


@pytest.mark.parametrize("text", ["devenir trader ?", "il code en python ?", "le doctorat", "la boulangerie"])
def test_words_no_sheet_has_match_nothing_strongly(repo, text):
    assert all(f.coverage < 0.5 for f in repo.find_facts(text)), text


def test_message_with_only_topic_and_job_words_has_no_content(repo):
    assert repo.content_terms("quelles sont les missions du gestionnaire middle office ?") == []
    assert repo.content_terms("c'est quoi les competences du back") == []


def test_search_stays_within_the_jobs_asked(repo):
    assert all(f.job.id == "back-office" for f in repo.find_facts("reporting management", ("back-office",)))


def test_prefix_scorer_is_a_working_baseline(repo):
    vocabulary = repo.vocabulary
    snowball = repo.fact_index()
    prefix = FactIndex(snowball.facts, Analyzer(vocabulary, snowball.analyzer.ignored, stemmer="prefix"))
    assert prefix.search("les reclamations")[0].fact.text == "Traiter les réclamations clients"
    with pytest.raises(ValueError):
        Analyzer(vocabulary, stemmer="porter")


@pytest.mark.parametrize("text,form", [
    ("le back office gère les outils monétiques ?", YES_NO),
    ("est-ce que le BUT GEA mène au back office", YES_NO),
    ("faut-il un doctorat pour le back office", YES_NO),
    ("gère-t-il les successions", YES_NO),
    ("quel niveau d'anglais au middle office ?", OPEN),
    ("c koi le rncp du master finance", OPEN),
    ("donne moi les competences comportementales", OPEN),
    ("les missions du back office", STATEMENT),
    # a noun-phrase follow-up asks what the sheet says of it, not for a yes
    ("et l'expérience demandée ?", OPEN),
    ("ok et pour les horaires ?", OPEN),
    ("et le back office il vend ?", YES_NO),
    ("et le middle ça recrute ?", YES_NO),
    # a level named of one thing is asked as a yes; a level asked of a list, or asked for, is a value
    ("l'anglais c'est niveau expert ?", YES_NO),
    ("les compétences de niveau expertise ?", OPEN),
    ("l'anglais c'est quel niveau ?", OPEN),
    ("le bac pro il est dans la liste ?", YES_NO),  # whether an item is listed, not the list
    ("donne moi la liste des études", OPEN),
    # a condition then a cleft asks who: closed; a condition alone asks what happens then
    ("si ya un litige c le middle qui fait l intermediaire ?", YES_NO),
    ("et si le client paie pas ?", OPEN),
    # a plea closing the message asks no value; "dis-moi" before what is asked does
    ("après quelques années je peux devenir auditeur stp dis moi", YES_NO),
    ("dis moi les missions du back", OPEN),
    # a part of a list asked for, its "on peut" in a relative clause
    ("seulement les metiers ou on peut aller apres le middle", OPEN),
])
def test_question_form(repo, text, form):
    assert analyse(text, repo.vocabulary).form == form


def test_an_entity_inside_a_longer_filter_is_not_one_more(repo):
    """The NLU's "bac" inside "bac+5" is the study level alone; "en sortant de l'école" is a starting point."""
    bac = next(f for f in repo.vocabulary.filters if f.value == "bac")
    shape = analyse("il faut forcément un bac+5 ?", repo.vocabulary, [bac])
    assert [f.value for f in shape.filters] == ["bac+5"]
    assert analyse("et en sortant de l'école je peux postuler ?", repo.vocabulary).filters == ()


def test_question_attribute_topics_and_filters(repo):
    shape = analyse("quelles études et quelles compétences comportementales pour le BO ?", repo.vocabulary)
    assert shape.topics_named == ("studies", "skills")
    assert [(f.kind, f.value) for f in shape.filters] == [("skill_type", "comportementale")]
    assert "comportementales" not in shape.content
    assert analyse("c'est quoi le numéro RNCP du master finance", repo.vocabulary).attribute == "code"
    assert analyse("le lien france compétences de la licence", repo.vocabulary).attribute == "url"
    assert analyse("encadrer une équipe, c'est quel niveau ?", repo.vocabulary).attribute == "level"
    assert analyse("MIF 2 c'est pour quel métier ?", repo.vocabulary).attribute == "job"
    levels = analyse("avec un bac+2 ou un bac pro", repo.vocabulary).filters
    assert [(f.kind, f.value) for f in levels] == [("diploma_kind", "bac pro"), ("study_level", "bac+2")]


def test_entity_values_resolve_to_filters(repo):
    vocabulary = repo.vocabulary
    assert vocabulary.filter_value("skill_type", "Comportementaux").value == "comportementale"
    assert vocabulary.filter_value("skill_level", "maîtrise").value == "3"
    assert vocabulary.filter_value("diploma_kind", "BTS").value == "bts"
    assert vocabulary.filter_value("skill_type", "banane") is None
    assert vocabulary.filter_value("skill_type", None) is None


def _filters(repo, **kinds):
    return tuple(repo.vocabulary.filter_value(kind, value) for kind, value in kinds.items())


def test_filtered_facts(repo):
    behavioural = repo.filtered_facts("middle-office", "skills", _filters(repo, skill_type="comportementale"))
    assert [f.text for f in behavioural] == ["Créer et maintenir une relation de confiance",
                                             "Gérer des situations de stress", "Travailler en équipe",
                                             "Utiliser l'anglais en contexte professionnel"]
    expert = repo.filtered_facts("middle-office", "skills", _filters(repo, skill_level="expertise"))
    assert len(expert) == 2 and all(f.level == 4 for f in expert)
    both = repo.filtered_facts("middle-office", "skills", _filters(repo, skill_type="technique", skill_level="avancé"))
    assert {f.text for f in both} == {"Analyser et anticiper des évolutions de marchés financiers ou clients",
                                      "Déterminer les résultats quotidiens par produit, ligne de produits"}
    masters = repo.filtered_facts("back-office", "studies", _filters(repo, diploma_kind="master"))
    assert len(masters) == 5 and all("Master" in f.text for f in masters)
    bts = repo.filtered_facts("back-office", "studies", _filters(repo, diploma_kind="bts"))
    assert [f.text for f in bts] == ["BTS Banque"]
    assert repo.filtered_facts("back-office", "studies", _filters(repo, diploma_kind="doctorat")) == ()
    bac2 = repo.filtered_facts("middle-office", "studies", _filters(repo, study_level="bac+2"))
    assert [f.text for f in bac2] == ["Niveau 5 BTS/DUT (bac + 2)"]


def test_filter_a_sheet_does_not_rate_is_unanswerable_not_empty(repo):
    assert repo.filtered_facts("back-office", "skills", _filters(repo, skill_type="technique")) is None
    assert repo.filtered_facts("back-office", "skills", _filters(repo, skill_level="expertise")) is None


def test_vocabulary_rejects_yaml_booleans(tmp_path):
    path = tmp_path / "vocabulary.yml"
    path.write_text("stopwords: [le, on, la]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="quote the words"):
        load_vocabulary(path)


def test_a_typo_keeps_its_first_letter():
    from knowledge.matching import PREFIX_SIMILARITY, TYPO_SIMILARITY, similarity

    assert similarity("dosier", "dossier") == TYPO_SIMILARITY and similarity("reclamatio", "reclamation") == \
        PREFIX_SIMILARITY
    assert similarity("depart", "repart") == 0.0  # "salaire de départ" is not "réparties sur des plages horaires"


@pytest.mark.parametrize("text, direction", [
    ("je suis rigoureuse et j'aime le contact, back ou middle ?", None),  # who the student is, not where from
    ("jsuis conseiller clientele, le middle c possible ?", "from"),  # a job after "je suis": where they come from
    ("je suis au back office, ça mène au middle ?", "from"),
    ("on vient de quel métier pour faire middle office ?", "from"),
    ("après le middle office on fait quoi ?", "to"),
])
def test_career_direction_reads_je_suis_as_a_direction_only_before_a_job(repo, text, direction):
    assert repo.career_direction(text) == direction


@pytest.mark.parametrize("text, direction", [
    ("le middle office peut déboucher sur un poste d'auditeur ?", "to"),  # the job leads somewhere
    ("ça mène à quoi le back office ?", "to"),
    ("quels métiers mènent au middle office ?", "from"),  # somewhere leads to the job
    ("un poste de contrôleur de gestion peut déboucher sur le middle office ?", "from"),
    ("d'après la fiche, un comptable peut devenir gestionnaire de back-office ?", "from"),  # "according to"
])
def test_a_verb_of_leading_somewhere_takes_its_direction_from_the_side_of_the_job(repo, text, direction):
    assert repo.career_direction(text) == direction


def test_filler_phrases_are_never_searched_in_the_facts(repo):
    """"et SES ça marche pas ?": "marche" asks whether it works; it is not the "marchés" of a mission."""
    assert repo.content_terms("et SES ça marche pas ?") == []
    assert "march" in repo.content_terms("il intervient sur les marchés ?")


def test_one_word_family_the_stemmer_splits_is_a_weak_match():
    assert similarity("comptabilit", "comptabl") == FAMILY_SIMILARITY  # comptabilité / comptables
    assert similarity("comptabl", "comptabl") == 1.0
    assert similarity("conform", "confianc") == 0.0  # a short common prefix is no family


@pytest.mark.parametrize("text", ["jsp si le bac ofis fé d truc sur les marché financié", "le bac office c'est quoi ?"])
def test_a_filter_word_starting_a_job_s_name_is_no_filter(text):
    from knowledge import queries

    shape = analyse(text, queries.vocabulary())
    assert shape.filters == () and shape.after == ()


def test_a_filter_word_beside_a_job_s_name_written_in_sms_is_still_one():
    from knowledge import queries

    assert [f.value for f in analyse("un bac pro pour le bac ofis ?", queries.vocabulary()).filters] == ["bac pro"]


def test_not_knowing_whether_asks_yes_or_no():
    from knowledge import queries

    assert analyse("jsp si le back office fait des trucs sur les marchés", queries.vocabulary()).form == YES_NO


def test_a_noun_and_its_verb_are_the_sheets_own_words_a_family_word_is_not(repo):
    """"acheter et vendre" says the sheet's "opérations d'achat et de vente" (same_meaning in the vocabulary), which
    may carry a "oui"; "comptabilité" is only of the family of the sheet's "comptables"."""
    index = repo.fact_index()
    analyzer = index.analyzer
    own = "Intervenir sur les marchés pour des opérations d'achat et de vente de titres"
    assert index.in_own_words(own, analyzer.terms("acheter et vendre des titres"))
    assert not index.in_own_words(own, analyzer.terms("placer des titres"))
    assert not index.in_own_words(own, analyzer.terms("il vend"))  # a verb alone is too vague to be that fact
    assert not index.in_own_words("Connaissance des procédures comptables", analyzer.terms("comptabilité"))


def test_a_word_the_knowledge_base_gives_a_fact_outranks_a_typo_of_another_fact_s_word(repo):
    """"ça peut changer selon quoi ?": "changer" is given to "les horaires peuvent varier", it is one letter from the
    sheets' "chargé" — the word given exactly comes first."""
    best = repo.fact_index().search("ça peut changer selon quoi ?")[0]
    assert best.fact.text.startswith("Selon l'actualité et les urgences"), best



@pytest.mark.parametrize("text", ["middle office c'est un métier hyper stressant non ?",
                                  "tkt mais en vrai le middle c stressant ?"])
def test_intensifiers_and_sms_fillers_are_no_words_to_find(repo, text):
    """"hyper", "tkt": the question is whether it is stressful, the sheet's stress skill is all it names."""
    best = repo.fact_index().search(text)[0]
    assert best.fact.text == "Gérer des situations de stress" and best.coverage == 1.0, best
