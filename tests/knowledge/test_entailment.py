"""The gate before "oui" on facts written in the test (knowledge/entailment.py), with the project's claim words."""
from __future__ import annotations

import pytest
import snowballstemmer

from common.settings import PROJECT_DIR
from knowledge import entailment as e
from knowledge.text import fold
from knowledge.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def reader() -> e.ClaimReader:
    vocabulary = load_vocabulary(PROJECT_DIR / "knowledge" / "vocabulary.yml")
    return e.ClaimReader(vocabulary.claims, vocabulary.abbreviations, snowballstemmer.stemmer("french").stemWord)


def verdict(reader, question, fact, level=None, topic="studies", listed=3, distinct=frozenset()):
    return reader.verdict(reader.read(fold(question)), fact, level, topic, listed, distinct)


@pytest.mark.parametrize("question,fact,expected", [
    ("un bac pro commerce ça marche ?", "Baccalauréat professionnel – Gestion administration", e.MISSING_ITEM),
    ("un bac pro gestion administration ça marche ?", "Baccalauréat professionnel – Gestion administration",
     e.ENTAILED),
    ("un BTS ça suffit ?", "BTS Banque", e.KIND_ONLY),
    ("un BTS banque ça suffit ?", "BTS Banque", e.ENTAILED),
    ("y a des BTS ?", "BTS Banque", e.ENTAILED),  # the sheet lists some: an existence question
    ("un master finance ?", "Master Gestion, spécialité finance", e.KIND_ONLY),
    ("il faut forcément un master ?", "Master Gestion, spécialité finance", e.NOT_REQUIRED),
    ("do i need a master's degree?", "Master Gestion, spécialité finance", e.NOT_REQUIRED),
])
def test_items_and_obligation(reader, question, fact, expected):
    assert verdict(reader, question, fact) == expected


def test_a_word_that_names_one_fact_alone_is_enough(reader):
    fact = "BUT Gestion des entreprises et des administrations (GEA)"
    assert verdict(reader, "le BUT GEA ?", fact) == e.KIND_ONLY
    assert verdict(reader, "le BUT GEA ?", fact, distinct=frozenset(reader.terms_of("GEA"))) == e.ENTAILED


@pytest.mark.parametrize("question,level,expected", [
    ("faut être expert en anglais ?", 3, e.LEVEL_TOO_LOW),
    ("faut maîtriser l'anglais ?", 3, e.ENTAILED),
    ("des notions d'anglais ça suffit ?", 3, e.ENTAILED),
    ("faut être bilingue ?", None, e.LEVEL_UNRATED),
])
def test_levels(reader, question, level, expected):
    assert verdict(reader, question, "Utiliser l'anglais en contexte professionnel", level, "skills") == expected


@pytest.mark.parametrize("question,expected", [
    ("c'est demandé au niveau 3 ?", ()),  # a skill level: read by `level`, not a figure the fact must state
    ("il faut un niveau 7 ?", ("7",)),  # a study level (niveau 5 to 7): a figure
    ("au moins 5 ans ?", ("5",)),
])
def test_skill_levels_are_not_figures(reader, question, expected):
    assert reader.numbers(fold(question)) == expected


def test_a_specialty_after_spe_is_kept(reader):
    """"spé SES": the specialty, not the possessive "ses" that ends an item."""
    assert [i.text for i in reader.items(fold("un bac général spé SES ça passe ?"))] == ["bac general spe ses"]
    # "avec spé …" / "avec les spécialités …" continue the diploma; "avec" before anything else ends it
    with_spe = reader.items(fold("j'ai un bac général avec spé SES et HGGSP, le back-office est possible ?"))
    assert [i.text for i in with_spe] == ["bac general spe ses hggsp"]  # both specialties are the bac's
    assert [i.text for i in reader.items(fold("un bac pro avec mon BTS"))] == ["bac pro", "bts"]
    assert reader.verdict(reader.read(fold("un bac général avec spé SES ça passe ?")),
                              fold("Baccalauréat général (options Mathématiques, Numérique et sciences de "
                                   "l'informatique)")) != e.ENTAILED


def test_a_level_written_in_the_fact(reader):
    assert verdict(reader, "faut être bilingue ?", "Maîtrise de l'anglais", None, "skills") == e.LEVEL_TOO_LOW


@pytest.mark.parametrize("question,fact,expected", [
    ("il voit les clients toute la journée ?", "Éventuellement les clients", e.LESS_OFTEN),
    ("on se déplace souvent ?", "Les déplacements sont peu fréquents.", e.LESS_OFTEN),
    ("il fait de la compta toute la journée ?", "Assurer le traitement des opérations comptables", e.FREQUENCY_UNSAID),
    ("il parle aux clients tous les jours ?", "Il travaille quotidiennement avec les clients", e.ENTAILED),
    # a low frequency asked is no claim of a high one
    ("les déplacements sont peu fréquents ?", "Les déplacements sont peu fréquents.", e.ENTAILED),
    ("il ne se déplace pas souvent ?", "Les déplacements sont peu fréquents.", e.ENTAILED),
])
def test_frequency(reader, question, fact, expected):
    assert verdict(reader, question, fact, topic="interlocutors") == expected


def test_jobs_are_named_word_for_word_outside_career_lists(reader):
    assert verdict(reader, "devenir contrôleur financier ?", "Il contrôle les opérations", topic="missions") \
        == e.MISSING_ITEM
    assert verdict(reader, "devenir contrôleur financier ?", "Contrôleur de gestion", topic="careers") \
        == e.MISSING_ITEM
    assert verdict(reader, "devenir contrôleur de gestion ?", "Contrôleur de gestion", topic="careers") == e.ENTAILED


def test_an_outside_job_from_the_nlu_must_be_in_the_fact(reader):
    claim = reader.read(fold("on peut devenir trader ?"), extra=("trader",))
    assert reader.verdict(claim, "Auditeur", None, "careers") == e.MISSING_ITEM


def test_a_plain_question_claims_nothing(reader):
    assert reader.read(fold("le back office gère les réclamations ?")).empty


@pytest.mark.parametrize("question,fact,expected", [
    # what the student leaves out is named by the fact: not a "oui"
    ("un bac général sans maths ça passe ?", "Baccalauréat général (options Mathématiques, Numérique)", e.EXCLUDED),
    ("un bac général sans philo ça passe ?", "Baccalauréat général (options Mathématiques, Numérique)", e.ENTAILED),
    ("on peut le faire hors alternance ?", "Master en alternance", e.EXCLUDED),
    # "sans X on ne peut pas": X claimed required, and the sheet lists options
    ("sans BTS Banque on peut pas faire ce métier, c'est ça ?", "BTS Banque", e.NOT_REQUIRED),
    ("sans master c'est impossible ?", "Master Gestion, spécialité finance", e.NOT_REQUIRED),
])
def test_what_is_left_out(reader, question, fact, expected):
    assert verdict(reader, question, fact) == expected


def test_the_item_left_out_is_not_an_item_named(reader):
    claim = reader.read(fold("je peux faire ce métier sans bac ?"))
    assert not claim.items and claim.excluded and not claim.required


@pytest.mark.parametrize("question,fact,topic,expected", [
    # a diploma named after a need is claimed required; the sheet lists options
    ("il faut passer par une école de commerce ?", "Prépa et école de commerce", "studies", e.NOT_REQUIRED),
    ("faut être ingénieur ?", "Niveau 7 Master/Ingénieur (bac + 5)", "studies", e.NOT_REQUIRED),
    ("c'est une obligation, le MIF 2 ?", "MIF 2 (Markets in Financial Instruments Directive)", "trainings",
     e.NOT_REQUIRED),
    # a figure the fact does not state; asked as a demand ("il demande"), an obligation the offers' levels deny
    ("il parle de 5 ans d'expérience ?", "Niveaux d'expérience demandés dans les offres", "figures",
     e.NUMBER_UNSAID),
    ("il demande 5 ans d'expérience ?", "Niveaux d'expérience demandés dans les offres", "figures",
     e.NOT_REQUIRED),
    ("les deux demandent un bac+5 ?", "Niveau 7 Master/Ingénieur (bac + 5)", "studies", e.NOT_REQUIRED),
    # a minimum ("au moins 5 ans") is an obligation; the offers list several levels of experience
    ("il demande au moins 5 ans d'expérience ?", "Entre 5 et 10 ans", "figures", e.NOT_REQUIRED),
    ("il faut au moins 5 ans ?", "Entre 5 et 10 ans", "figures", e.NOT_REQUIRED),
    ("il faut 10 ans d'expérience ?", "Entre 5 et 10 ans", "figures", e.NOT_REQUIRED),  # a duration needed
    ("un bac+5 c'est cité ?", "Niveau 7 Master/Ingénieur (bac + 5)", "studies", e.ENTAILED),
    # an ordinal is not a figure
    ("en 3e, le bac techno STMG est conseillé ?", "Baccalauréat technologique STMG", "studies", e.ENTAILED),
    # a level and a frequency written in other words
    ("des connaissances juridiques poussées ?", "Connaissances juridiques de base", "skills", e.LEVEL_TOO_LOW),
    ("on passe ses journées à acheter des titres ?", "Intervenir sur les marchés pour l'achat de titres", "missions",
     e.FREQUENCY_UNSAID),
])
def test_needs_figures_levels_and_frequencies_in_other_words(reader, question, fact, topic, expected):
    assert verdict(reader, question, fact, topic=topic) == expected


@pytest.mark.parametrize("question,expected", [
    ("j'ai un bac général spé maths, ça passe ?", e.ENTAILED),  # "spé" skipped, "maths" is "mathématiques"
    ("spé maths en bac général, ça passe ?", e.ENTAILED),  # the specialty written before its diploma
    ("j'ai pris spécialité SES en bac général, ça passe ?", e.MISSING_ITEM),  # not "bac général" alone
    ("option NSI au bac général ?", e.ENTAILED),
])
def test_a_specialty_belongs_to_its_diploma(reader, question, expected):
    fact = "Baccalauréat général (options Mathématiques, Numérique et sciences de l'informatique)"
    assert verdict(reader, question, fact) == expected


@pytest.mark.parametrize("question,listed,expected", [
    ("il travaille uniquement avec les clients ?", 4, e.NOT_ONLY),
    ("c'est que de la saisie ?", 4, e.NOT_ONLY),
    ("il bosse qu'avec les clients ?", 4, e.NOT_ONLY),
    ("il travaille avec les clients ?", 4, e.ENTAILED),
    ("est-ce que des clients l'appellent ?", 4, e.ENTAILED),  # the question's own "est-ce que", no restriction
    ("il travaille uniquement avec les clients ?", 1, e.ENTAILED),  # a list of one is all there is
])
def test_one_thing_of_a_list_is_not_all_of_it(reader, question, listed, expected):
    assert verdict(reader, question, "Les clients", topic="interlocutors", listed=listed) == expected


def test_only_of_the_students_own_diploma_restricts_nothing(reader):
    """"j'ai seulement un bac STMG": the student's diploma, not a claim that it is the only path."""
    fact = "Baccalauréat technologique STMG (sciences et technologies du management et de la gestion)"
    assert verdict(reader, "j'ai seulement un bac STMG ça marche ?", fact,
                   distinct=frozenset(reader.terms_of("STMG"))) == e.ENTAILED


def test_a_job_name_used_as_a_verb_names_no_job(reader):
    """"manager des gens", "conseiller les clients": a verb and its object; "devenir manager": a job."""
    assert not reader.items(fold("il doit manager des gens ?"))
    assert not reader.items(fold("il doit conseiller les clients ?"))
    assert [i.text for i in reader.items(fold("on peut devenir manager apres ?"))] == ["manager"]


def test_being_in_charge_of_something_names_no_job(reader):
    """"En charge du règlement-livraison des transactions" (a mission): no "chargé de …" named, so "le MO gère le
    règlement-livraison ?" is answered yes; "un chargé de clientèle" still is a job."""
    assert not reader.items(fold("En charge du règlement-livraison des transactions, il contrôle la fin"))
    assert [i.text for i in reader.items(fold("un chargé de clientèle peut devenir BO ?"))] == ["charge de clientele"]


@pytest.mark.parametrize("question, expected", [
    ("et après le bac ?", []),  # a moment of the path: the studies after it
    ("on fait quoi avant le BTS ?", []),
    ("après un bac pro commerce je peux ?", ["bac pro commerce"]),  # the student's diploma
    ("après le bac STMG c'est possible ?", ["bac stmg"]),
])
def test_a_bare_diploma_after_apres_le_is_a_moment_not_an_item(reader, question, expected):
    assert [i.text for i in reader.items(fold(question))] == expected


def test_wondering_is_not_a_need(reader):
    """"elle se demande si…" asks; "le poste demande un master ?" claims a requirement."""
    assert not reader.read(fold("elle se demande si un master en 2 ans convient")).required
    assert not reader.read(fold("je me demandais si le BTS banque suffit")).required
    assert reader.read(fold("le poste demande un master ?")).required


def test_a_question_word_ends_the_item(reader):
    assert [i.text for i in reader.items(fold("Bac général quelles spécialités pour le back-office"))] == [
        "bac general"]


def test_how_a_diploma_is_taken_is_not_part_of_it(reader):
    """"un BTS Banque en alternance": the BTS Banque the sheet lists (alternance is how it is prepared)."""
    assert reader.verdict(reader.read(fold("ma fille est en BTS Banque en alternance, ça lui permet ?")),
                          "BTS Banque") == e.ENTAILED
    assert [i.text for i in reader.items(fold("ma fille est en BTS Banque en alternance"))] == ["bts banque"]


def test_an_obligation_asked_of_a_skill_is_said_only_by_a_fact_that_requires_it(reader):
    """"l'anglais c'est obligatoire ?" of "Maîtrise de l'anglais" (a skill listed, never said required): no "oui"."""
    assert verdict(reader, "l'anglais c'est obligatoire ?", "Maîtrise de l'anglais", topic="skills",
                   listed=5) == e.REQUIRED_UNSAID
    assert verdict(reader, "l'anglais c'est obligatoire ?", "Maîtrise de l'anglais indispensable", topic="skills",
                   listed=5) == e.ENTAILED
    assert verdict(reader, "il faut maîtriser l'anglais ?", "Maîtrise de l'anglais", topic="skills",
                   listed=5) == e.ENTAILED  # a plain question claims no obligation


@pytest.mark.parametrize("fact,expected", [
    ("Niveau 6 Licence (bac + 3)", True),
    ("Niveau 5 BTS/DUT (bac + 2)", True),
    ("Licence professionnelle - Assurance, banque, finance : supports opérationnels (RNCP 34025)", False),
    ("BTS Banque", False),
])
def test_a_fact_naming_a_level_of_study_only(reader, fact, expected):
    assert reader.names_level_only(fact) is expected


def test_bak_starts_a_diploma_only_with_words_after_it(reader):
    [item] = reader.items(fold("j'ai un bak pro commerce pour le back"))
    assert item.text == "bak pro commerce" and item.diploma
    assert reader.terms_of("bak pro") == reader.terms_of("bac pro")
    assert not reader.items(fold("le bak c koi ?")) and not reader.items(fold("faut parler anglais pr le bak offic"))


def test_the_bac_of_a_study_level_is_no_bac_named(reader):
    assert not reader.names_level_only("Niveau 5 BTS/DUT (bac + 2)", reader.terms_of("bac"))
    assert reader.names_level_only("Niveau 5 BTS/DUT (bac + 2)", reader.terms_of("bts"))


@pytest.mark.parametrize("question,expected", [
    ("le middle office normalement y a pas de stress a gerer ?", True),
    ("en back office on s'en fiche d'etre organise non ?", True),
    ("on n'a pas besoin de parler anglais ?", True),
    ("le middle fait du reporting non ?", False),  # a question tag
    ("c'est obligatoire ou pas ?", False),
    ("il fait pas que de la saisie ?", False),  # not only
    ("j'ai pas de bac, je peux faire back office ?", False),  # the student's own situation
    ("c'est pas le middle qui fait ca ?", False),  # the same question of the other job
])
def test_a_question_asked_in_the_negative(reader, question, expected):
    assert reader.negated(fold(question)) is expected


def test_a_job_name_used_as_a_reflexive_verb_is_no_job(reader):
    assert not reader.items(fold("c'est le back qui s'en charge du coup ?"))
    items = reader.items(fold("un charge d'affaires peut faire back office ?"))
    assert [i.text for i in items] == ["charge d'affaires"]


def test_the_class_year_stands_between_the_cue_and_the_own_diploma(reader):
    assert [i.text for i in reader.own_items(fold("salut jsuis en 1ere stmg, le back c quoi ?"))] == ["stmg"]
    assert [i.text for i in reader.own_items(fold("je suis en 1re bac pro vente"))] == ["bac pro vente"]


@pytest.mark.parametrize("question,fact,expected", [
    ("le reporting il se fait chaque semaine ?", "Il réalise un reporting quotidien", e.FREQUENCY_UNSAID),
    ("le reporting c'est mensuel ?", "Il réalise un reporting quotidien", e.FREQUENCY_UNSAID),
    ("le reporting c'est tous les jours ?", "Il réalise un reporting quotidien", e.ENTAILED),
    ("il fait un bilan par an ?", "Il fait un bilan", e.FREQUENCY_UNSAID),  # no period said: not that one
])
def test_a_period_asked_is_said_only_by_a_fact_of_that_period(reader, question, fact, expected):
    assert verdict(reader, question, fact, topic="missions", listed=1) == expected


@pytest.mark.parametrize("question, items", [
    ("le BTS banque et assurance est cité ?", ["bts banque assurance"]),  # one title
    ("un BTS banque et un BUT GEA ?", ["bts banque", "but gea"]),  # an article: a second item
    ("bac pro GA et BTS banque ?", ["bac pro ga", "bts banque"]),  # a diploma: a second item
    ("un BTS banque et je peux faire quoi ?", ["bts banque"]),  # a pronoun: the item ends
])
def test_et_inside_a_diploma_title_joins_its_specialty(reader, question, items):
    assert [i.text for i in reader.read(fold(question)).items] == items


@pytest.mark.parametrize("question, expected", [
    ("c'est uniquement le bac STMG qui est conseillé ?", e.NOT_ONLY),  # of the sheet's list
    ("la fiche ne cite que le bac STMG ?", e.NOT_ONLY),
    ("j'ai seulement un bac STMG, ça passe ?", e.ENTAILED),  # the student's own: that bac is listed
    ("je n'ai qu'un bac STMG, ça passe ?", e.ENTAILED),
])
def test_only_of_the_list_is_not_only_of_what_the_student_holds(reader, question, expected):
    fact = "Baccalauréat technologique STMG (sciences et technologies du management et de la gestion)"
    assert verdict(reader, question, fact, listed=3, distinct=frozenset({"stmg"})) == expected


@pytest.mark.parametrize("question,items", [
    # the class the writer teaches is no diploma asked about
    ("professeur en bts banque, je souhaite presenter les competences. pourriez-vous me les indiquer ?", []),
    ("enseignante d'anglais en bts banque, que disent les fiches ?", []),
    # ... but a diploma asked about, or the student's, is one
    ("je suis prof, est-ce que le bts banque est cite ?", ["bts banque"]),
    ("ma fille est en bts banque, elle peut faire back office ?", ["bts banque"]),
])
def test_a_class_the_writer_teaches_is_no_item_of_the_claim(reader, question, items):
    assert [i.text for i in reader.items(question) if i.diploma] == items


def test_a_specialty_named_apart_from_the_one_bac_is_that_bacs(reader):
    """"La spé SES, elle fait partie des options du bac général … ?": SES must be in the fact too."""
    [item] = reader.items(fold("La spé SES, elle fait partie des options du bac général citées pour le back office ?"))
    assert item.text == "bac general ses"
    fact = fold("Baccalauréat général (options Mathématiques, Numérique et sciences de l'informatique)")
    assert reader.verdict(reader.read(fold("La spé SES, elle fait partie des options du bac général ?")), fact, None,
                          "studies", 3, frozenset()) != e.ENTAILED
    assert reader.verdict(reader.read(fold("la spé maths, elle est dans les options du bac général ?")), fact, None,
                          "studies", 3, frozenset()) == e.ENTAILED
    # "des options du bac général": no specialty named, the bac alone
    assert [i.text for i in reader.items(fold("les options du bac général pour le back office ?"))] == ["bac general"]


def test_a_verb_said_of_a_thing_named_ends_its_name(reader):
    items = reader.items(fold("mon BTS et mon poste de conseiller apparaissent quelque part dans la fiche ?"))
    assert [i.text for i in items] == ["bts", "conseiller"]
