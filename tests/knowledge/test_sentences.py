"""The sentences of a message and which of them ask something (knowledge/sentences.py)."""
from __future__ import annotations

import pytest

from knowledge.sentences import sentences, signature_start, situation_told_first


def _split(text: str) -> list[tuple[str, bool]]:
    return [(s.text, s.question) for s in sentences(text)]


def test_context_then_questions_in_order():
    text = "Bonjour, j'accompagne des élèves de seconde. Quelles études ? Et il faut quel niveau d'anglais ?"
    assert _split(text) == [
        ("Bonjour, j'accompagne des élèves de seconde.", False), ("Quelles études ?", True),
        ("Et il faut quel niveau d'anglais ?", True)]


def test_two_questions_joined_by_et_are_cut():
    assert [q for q, _ in _split("c'est quoi le back office et il faut quel niveau ?")] == [
        "c'est quoi le back office", "et il faut quel niveau ?"]


@pytest.mark.parametrize("text,first,second", [
    ("le back bosse avec qui et faut quelles qualites", "le back bosse avec qui", "et faut quelles qualites"),
    ("c quoi le BO et d ou vient ta fiche", "c quoi le BO", "et d ou vient ta fiche"),
    ("c qui les collegues du BO et faut quel niveau", "c qui les collegues du BO", "et faut quel niveau"),
])
def test_a_question_closed_by_whom_or_opened_by_where_in_sms_is_one_of_two(text, first, second):
    assert _split(text) == [(first, True), (second, True)]


def test_whom_inside_a_relative_clause_is_no_question_of_its_own():
    assert _split("les gens avec qui il bosse sont sympas ?") == [("les gens avec qui il bosse sont sympas ?", True)]


def test_offsets_point_into_the_message():
    text = "Merci.  Et les études ?"
    assert all(text[s.start:s.end] == s.text for s in sentences(text))


@pytest.mark.parametrize("text,question", [
    ("Un élève me demande si le gestionnaire intervient quand les clients ne paient pas. Qu'en dit la fiche ?",
     "Un élève me demande si le gestionnaire intervient quand les clients ne paient pas. Qu'en dit la fiche ?"),
    ("Ma fille envisage une prépa puis une école de commerce. La fiche fait-elle mention de ce parcours ?",
     "Ma fille envisage une prépa puis une école de commerce. La fiche fait-elle mention de ce parcours ?"),
    ("La fiche cite, je crois, des diplômes enregistrés au RNCP. Pourriez-vous m'en donner la liste ?",
     "La fiche cite, je crois, des diplômes enregistrés au RNCP. Pourriez-vous m'en donner la liste ?"),
    ("La fiche mentionne-t-elle des connaissances juridiques, et si oui, dans quel domaine ?",
     "La fiche mentionne-t-elle des connaissances juridiques, et si oui, dans quel domaine ?"),
])
def test_a_question_that_only_points_back_takes_the_sentence_it_points_at(text, question):
    asked = [s for s, q in _split(text) if q]
    assert asked == [question]


def test_a_question_with_its_own_subject_stays_apart():
    assert _split("j'ai un bac pro commerce. je peux faire back office ?") == [
        ("j'ai un bac pro commerce.", False), ("je peux faire back office ?", True)]
    # the sentence before is itself a question: nothing to join
    assert len(_split("Il gère les réclamations ? C'est vrai ?")) == 2


@pytest.mark.parametrize("text,count", [
    # a formal request is a question, and so is the one joined to it by "et"
    ("Pourriez-vous m'indiquer si le métier lui est accessible et quelles études il devrait envisager ?", 2),
    ("d'où viennent les gens qui deviennent middle-office, et ils partent vers quoi après ?", 2),
])
def test_formal_and_where_from_questions_are_split(text, count):
    found = sentences(text)
    assert len(found) == count and all(s.question for s in found)


@pytest.mark.parametrize("text,asks", [
    ("Elle hésite à abandonner les mathématiques, matière dans laquelle elle éprouve des difficultés.", False),
    ("Il vise le poste pour lequel son oncle a postulé.", False),
    ("dans lequel des deux on voyage le plus", True),
    ("ça sert à quoi", True),
])
def test_a_relative_pronoun_does_not_make_a_question(text, asks):
    first, second = sentences(f"{text.rstrip('.')}. Quelles études faire ?")  # alone, a message is its own question
    assert first.question == asks and second.question


@pytest.mark.parametrize("text,split", [
    ("merci, et le middle il voyage ?", [("merci,", False), ("et le middle il voyage ?", True)]),
    ("ok merci, c'est quoi les études ?", [("ok merci,", False), ("c'est quoi les études ?", True)]),
    ("merci, bonne journée !", [("merci, bonne journée !", True)]),  # thanks and nothing asked: one sentence
])
def test_thanks_before_a_comma_is_a_sentence_of_its_own(text, split):
    assert _split(text) == split


def test_an_indirect_question_then_a_direct_one_are_two_questions():
    assert _split("bonjour je voudrais savoir ce que fait un gestionnaire back office et quelles études il faut faire"
                  ) == [("bonjour je voudrais savoir ce que fait un gestionnaire back office", True),
                        ("et quelles études il faut faire", True)]


@pytest.mark.parametrize("text, asks", [
    ("Pour le gestionnaire de back-office, pourriez-vous me citer les tâches qu'il réalise,", True),  # a request
    ("Elle se demandait aussi si ce métier est stressant.", True),  # asked indirectly
    ("J'aimerais savoir si les horaires sont stables.", True),
    ("Son métier actuel est-il cité,", True),  # the subject after its verb
    ("Je vous remercie pour votre retour, que je lui transmettrai.", False),
    ("Bonjour, je prépare une séquence de découverte des métiers pour des élèves de seconde.", False),
    ("Ma fille est en seconde et elle aime les chiffres.", False),
])
def test_requests_indirect_and_inverted_questions_ask(text, asks):
    # after a first question (a message of one sentence is a question whatever it says)
    assert [s.question for s in sentences(f"Quelles études ? {text}")] == [True, asks]


def test_a_statement_of_not_knowing_beside_a_plain_question_is_context():
    """"… elle ne sait pas trop vers quoi se diriger. Pourriez-vous m'indiquer … ?": the first sentence tells the
    context (its "quoi" asks nothing of the bot); alone, such a sentence is the message's question."""
    said = sentences("Elle aime la banque mais elle ne sait pas trop vers quoi se diriger. Pourriez-vous m'indiquer "
                     "quelles études suivre ?")
    assert [s.question for s in said] == [False, True]
    assert [s.question for s in sentences("je sais pas quoi faire.")] == [True]
    assert [s.question for s in sentences("pour le MO il faut quel niveau. et les qualités ?")] == [True, True]


@pytest.mark.parametrize("text, context, question", [
    ("je sais pas trop quoi faire, c'est quoi le back office", "je sais pas trop quoi faire,",
     "c'est quoi le back office"),
    ("Mon fils ne sait pas vers quoi aller, quelles études pour le middle ?", "Mon fils ne sait pas vers quoi aller,",
     "quelles études pour le middle ?"),
])
def test_not_knowing_before_a_comma_and_a_question_is_context(text, context, question):
    assert [(s.text, s.question) for s in sentences(text)] == [(context, False), (question, True)]


@pytest.mark.parametrize("text", ["je sais pas quoi choisir, le back ou le middle ?",
                                  "je sais pas, c'est quoi le back ?"])
def test_a_comma_without_a_statement_of_not_knowing_before_a_question_is_no_cut(text):
    assert len(sentences(text)) == 1


def test_a_second_indirect_question_after_et_si_is_a_question_of_its_own():
    said = sentences("Nous aimerions savoir si le back-office est souvent en contact avec la clientèle, et si son bac "
                     "STMG fait partie des bacs conseillés. Merci.")
    assert [s.question for s in said] == [True, True, False]
    assert said[1].text.startswith("et si son bac")
    # "sans savoir ce qui les distingue" tells the context, beside a plain question
    said = sentences("Ils en ont entendu parler sans savoir ce qui les distingue. Pourriez-vous m'expliquer la "
                     "différence ?")
    assert [s.question for s in said] == [False, True]
    # "… et si la fiche en parle": the same question, pointing back
    said = sentences("Elle se demandait si ce métier est stressant et si la fiche en parle, car elle est anxieuse.")
    assert [s.question for s in said] == [True]
    # "elle se demandait s'il était possible…": an indirect question too
    said = sentences("Elle aime les chiffres. Enfin, elle se demandait s'il était possible d'évoluer ensuite.")
    assert [s.question for s in said] == [False, True]


@pytest.mark.parametrize("sentence,asks", [
    ("Je serais également intéressé par les qualités que la fiche met en avant.", True),
    ("Merci de bien vouloir m'indiquer les évolutions possibles.", True),
    ("Je vous serais reconnaissante de me préciser les horaires.", True),
    ("J'aimerais aussi connaître les études conseillées.", True),
    ("Merci de votre aide.", False),
    ("Il est intéressé par la finance depuis longtemps.", False),
])
def test_a_request_politely_put_asks(sentence, asks):
    """Beside a plain question, a polite request asks too; a thank-you or a fact about the student does not."""
    [(_, question), _] = _split(f"{sentence} Quelles sont les missions du back-office ?")
    assert question is asks


def test_an_indirect_question_on_a_wh_word_asks():
    text = ("Merci pour cette réponse. Vous parlez d'un suivi : j'aimerais comprendre à qui il est adressé. "
            "Bien cordialement.")
    assert [q for _, q in _split(text)] == [False, True, False]


@pytest.mark.parametrize("text", [
    "jsuis en bac pro gestion administration, ya quoi comme metier dans la banque pr moi",
    "je suis conseiller clientèle, je peux passer au back-office ?",
    "mon fils est en bts, il peut faire middle office ?",
    "j'ai un bts banque, ça passe pour le middle ?",
    "J'ai une licence en compta (bac+3), le middle office demande ce niveau ?",
    "je suis rigoureuse et j'aime le contact, back ou middle ?",
    "j'ai un DUT GEA de 2015, c'est celui que cite la fiche du back ?",
])
def test_the_writer_s_own_situation_before_a_comma_stays_with_a_question_that_needs_it(text):
    assert len(sentences(text)) == 1


@pytest.mark.parametrize("text, context, question", [
    ("salut jsuis en 1ere stmg, le back office c quoi en gros ?", "salut jsuis en 1ere stmg,",
     "le back office c quoi en gros ?"),
    ("slt jsuis en bts, c quoi le middle office", "slt jsuis en bts,", "c quoi le middle office"),
    ("ma fille est en seconde, le back office il fait quoi ?", "ma fille est en seconde,",
     "le back office il fait quoi ?"),
])
def test_the_writer_s_own_situation_before_a_question_of_its_own_is_context(text, context, question):
    assert [(s.text, s.question) for s in sentences(text)] == [(context, False), (question, True)]


def test_a_question_pointing_back_past_a_short_reaction_asks_about_the_claim_before_it():
    said = ("Bonjour, mon neveu affirme qu'un gestionnaire passe sa vie dans les avions. Cela m'étonne un peu. "
            "Est-ce vrai ?")
    assert [(s.text, s.question) for s in sentences(said)] == [(said, True)]
    # a sentence of its own between them is no reaction: it stays the one the question points at
    said = "Ma fille est en terminale STMG. Elle aime les chiffres. Est-ce possible ?"
    assert [(s.text, s.question) for s in sentences(said)] == [
        ("Ma fille est en terminale STMG.", False), ("Elle aime les chiffres. Est-ce possible ?", True)]


@pytest.mark.parametrize("said", ["Mon fils me dit qu'on fait des horaires à rallonge. Est-ce exact ?",
                                  "On m'a dit qu'il faut un master. C'est correct ?"])
def test_is_it_exact_points_back_at_the_claim(said):
    assert [(s.text, s.question) for s in sentences(said)] == [(said, True)]


def test_a_thing_added_with_aussi_is_a_closed_question():
    from common.settings import PROJECT_DIR
    from knowledge.question import OPEN, YES_NO, analyse
    from knowledge.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(PROJECT_DIR / "knowledge" / "vocabulary.yml")
    assert analyse("et l'allemand aussi ?", vocabulary).form == YES_NO
    assert analyse("et l'expérience demandée ?", vocabulary).form == OPEN


def test_numbered_questions_lose_their_numbers():
    """"… je souhaiterais savoir : 1) si … ; 2) quelles formations … ; 3) …": each question without its number (the
    "2" of "2)" is no word of a fact: it matched "MIF 2")."""
    text = ("je souhaiterais savoir : 1) si la fiche mentionne le bac pro ; 2) quelles formations supérieures y sont "
            "citées ; 3) quelles compétences sont attendues.")
    found = [s.text for s in sentences(text)]
    assert found[1:] == ["quelles formations supérieures y sont citées ;", "quelles compétences sont attendues."]
    assert all(text[s.start:s.end] == s.text for s in sentences(text))


def test_a_question_about_the_terms_named_before_is_one_question_with_them():
    text = ("En lisant la fiche, nous sommes tombés sur les termes « front-office » et « back-office ». Comment la "
            "fiche définit-elle ces deux termes ?")
    found = sentences(text)
    assert len(found) == 1 and found[0].question and "front-office" in found[0].text


@pytest.mark.parametrize("text,asked", [
    ("ah dsl je voulais dire middle office pas manager", "middle office pas manager"),
    ("pardon je me suis mal exprimé : c'est l'expérience demandée que je voulais savoir",
     "c'est quoi l'experience demandee ?"),
    ("non pardon je voulais dire le back", "le back"),
    ("le middle office fait quoi ?", "le middle office fait quoi ?"),  # nothing corrected: the text itself
    ("non merci", "non merci"),
])
def test_a_self_correction_is_read_from_what_it_corrects_to(text, asked):
    from knowledge.sentences import repaired

    assert repaired(text) == asked


def test_not_knowing_precisely_which_job_is_context_beside_a_plain_question():
    text = ("Mon fils est en première STMG, sans savoir précisément quel métier viser. Et quelles formations après "
            "le bac cette fiche cite-t-elle ?")
    assert [s.question for s in sentences(text)] == [False, True]


def test_a_question_word_after_a_comma_starts_another_question():
    assert _split("back office: quel bac, quelle formation après le bac et ça paye combien ?") == [
        ("back office: quel bac,", True), ("quelle formation après le bac", True), ("et ça paye combien ?", True)]
    # a word or two before the comma ask nothing of their own: one question
    assert _split("quel bac, quelle licence ou quel master faut-il ?") == [
        ("quel bac, quelle licence ou quel master faut-il ?", True)]
    assert _split("pour le back office, quelles études ?") == [("pour le back office, quelles études ?", True)]


def test_a_request_is_not_cut_at_et_when_what_follows_asks_nothing_itself():
    # "peut" in a relative clause ("à laquelle un débutant peut prétendre") is no question of its own
    # (the second thing asked, after "ainsi que", is a question of its own: both are answered)
    first = ("Je souhaiterais connaître les conditions de travail du gestionnaire middle-office, notamment les "
             "horaires et les déplacements,")
    second = "la rémunération à laquelle un débutant peut prétendre."
    assert _split(f"{first} ainsi que {second}") == [(first, True), (second, True)]


@pytest.mark.parametrize("text,pieces", [
    ("Nous habitons en province et nous nous posons deux questions : sera-t-elle amenée à beaucoup se déplacer, et "
     "quelle rémunération peut-elle espérer ?",
     [("Nous habitons en province et nous nous posons deux questions :", False),
      ("sera-t-elle amenée à beaucoup se déplacer,", True), ("et quelle rémunération peut-elle espérer ?", True)]),
    ("Pourriez-vous m'indiquer, d'une part, les interlocuteurs de chacun, et d'autre part, si l'un des deux implique "
     "davantage de déplacements ?",
     [("Pourriez-vous m'indiquer, d'une part, les interlocuteurs de chacun,", True),
      ("si l'un des deux implique davantage de déplacements ?", True)]),
    ("J'aimerais savoir quelles qualités sont attendues chez un gestionnaire de back-office, ainsi que les voies "
     "d'orientation possibles après la troisième.",
     [("J'aimerais savoir quelles qualités sont attendues chez un gestionnaire de back-office,", True),
      ("les voies d'orientation possibles après la troisième.", True)]),
    # the same question of another subject stays one
    ("Pourriez-vous m'indiquer les missions du back-office, ainsi que celles du middle-office ?",
     [("Pourriez-vous m'indiquer les missions du back-office, ainsi que celles du middle-office ?", True)]),
    ("Question : le back office voyage ?", [("Question : le back office voyage ?", True)]),
    # a question that points at what the sentence before names ("ces niveaux") is one question with it
    ("Chaque compétence est accompagnée d'un chiffre de 1 à 4. À quoi correspondent ces niveaux ?",
     [("Chaque compétence est accompagnée d'un chiffre de 1 à 4. À quoi correspondent ces niveaux ?", True)]),
])
def test_the_questions_of_a_formal_message_announced_or_paired(text, pieces):
    assert _split(text) == pieces


def test_not_knowing_en_quoi_is_context_beside_a_plain_question():
    text = ("Il nous parle du back-office bancaire mais nous ne savons pas vraiment en quoi consiste ce métier. "
            "Pouvez-vous nous expliquer ce que fait un gestionnaire de back-office ?")
    assert [question for _, question in _split(text)] == [False, True]


@pytest.mark.parametrize("text,question", [("wesh c koi middl ofice stp", "c koi middl ofice stp"),
                                           ("slt jveu savoir c koi le back ofice", "jveu savoir c koi le back ofice")])
def test_a_greeting_before_a_question_is_a_sentence_of_its_own(text, question):
    assert _split(text)[-1] == (question, True) and not _split(text)[0][1]
    assert _split("salut") == [("salut", True)]  # a greeting alone stays what it is


def test_questions_after_commas_and_clauses_after_et_are_questions_of_their_own():
    # "est-ce qu'on …" after a comma, behind a question of its own
    text = ("Bonjour Madame, au middle-office, est-ce qu'on s'occupe de la facturation, est-ce qu'on participe au "
            "calcul des résultats, et est-ce qu'on est en contact avec les clients ?")
    assert [s for s, _ in _split(text)][1:] == ["est-ce qu'on participe au calcul des résultats,",
                                                "et est-ce qu'on est en contact avec les clients ?"]
    # SMS openers after a comma, a clause with its own subject after "et", the greeting before an opener
    assert _split("slt c koi le middle office, faut koi comme etudes et ca paye bien ??") == [
        ("slt", False), ("c koi le middle office,", True), ("faut koi comme etudes", True),
        ("et ca paye bien ??", True)]
    # "et" joining two nouns of one question is no clause: one question
    assert _split("c'est quoi le front et le back ?") == [("c'est quoi le front et le back ?", True)]
    assert _split("il travaille avec le front et il voyage ?") == [("il travaille avec le front et il voyage ?", True)]


def test_an_adverb_before_ce_que_still_makes_an_indirect_question():
    text = ("Nous voudrions surtout comprendre concrètement ce qu'elle ferait au quotidien et quelles qualités sont "
            "attendues.")
    assert _split(text) == [("Nous voudrions surtout comprendre concrètement ce qu'elle ferait au quotidien", True),
                            ("et quelles qualités sont attendues.", True)]


def test_what_was_heard_then_is_it_true_is_the_question_and_the_story_before_it_context():
    text = ("je travaille depuis 4 ans en agence, la pression commerciale me fatigue, un collègue m'a parlé du "
            "back-office, il paraît que c'est plus tranquille et qu'on n'a plus d'objectifs, est-ce que c'est vrai ?")
    assert _split(text) == [
        ("je travaille depuis 4 ans en agence, la pression commerciale me fatigue, un collègue m'a parlé du "
         "back-office,", False),
        ("il paraît que c'est plus tranquille et qu'on n'a plus d'objectifs, est-ce que c'est vrai ?", True)]
    # without "is it true?" the same words are one sentence, as before
    assert len(_split("un collègue m'a parlé du back-office, il paraît que c'est plus tranquille")) == 1


def test_a_clause_of_its_own_ending_on_a_question_word_after_a_comma_is_another_question():
    text = "Le middle office, on y vient de quels métiers, ça mène à quoi ensuite, et combien de gens bossent ?"
    assert [s.text for s in sentences(text)] == ["Le middle office, on y vient de quels métiers,",
                                                 "ça mène à quoi ensuite,", "et combien de gens bossent ?"]
    assert [s.text for s in sentences("je sais pas, ça sert à quoi ?")] == ["je sais pas, ça sert à quoi ?"]


def test_the_situation_told_first_ends_at_its_comma():
    text = "Je suis en BTS MCO en alternance, est-ce que mon BTS est cité ?"
    assert text[situation_told_first(text):] == "est-ce que mon BTS est cité ?"
    assert situation_told_first("le BTS MCO en alternance, c'est cité ?") == 0


def test_a_request_for_information_closed_by_a_full_stop_is_a_question():
    text = ("Pouvez-vous m'expliquer le rôle d'un gestionnaire middle-office ? J'aimerais aussi indiquer sur l'affiche "
            "un chiffre sur le nombre de personnes qui exercent dans sa famille de métiers. Je vous remercie.")
    assert [s.question for s in sentences(text)] == [True, True, False]
    assert [s.question for s in sentences("Bonjour. Je voudrais avoir une idée des études à faire. Merci.")] == [
        False, True, False]
    assert not any(s.question for s in sentences("Je travaille en agence. J'aime beaucoup mon métier."))


def test_what_the_writer_tells_of_themselves_before_a_colon_is_context():
    assert _split("Mon fils est plutôt réservé : le métier exige-t-il du contact avec la clientèle ?") == [
        ("Mon fils est plutôt réservé :", False), ("le métier exige-t-il du contact avec la clientèle ?", True)]
    assert _split("Question : le back office voyage ?") == [("Question : le back office voyage ?", True)]
    # a question that needs what was told keeps it
    assert len(_split("Je suis en 1ère générale spé maths : c'est cité pour le back-office ?")) == 1
    assert len(_split("je suis en bac pro GA : je peux faire du back office ?")) == 1


@pytest.mark.parametrize("text,signature", [
    ("Pourriez-vous me les détailler ? Cordialement, M. Benali, conseiller au CIO", "Cordialement, M."),
    ("Quelles études ? Bien à vous. Mme Martin, professeure en BTS Banque", "Bien à vous."),
    ("Je suis conseiller clientèle. Quelles études ?", None),
])
def test_the_signature_starts_at_the_sign_off(text, signature):
    parts = sentences(text)
    start = signature_start(parts)
    assert (parts[start].text if start < len(parts) else None) == signature


@pytest.mark.parametrize("text,questions", [
    ("bak ofis : koi comme bac, koi comme qualites ?", ["bak ofis : koi comme bac,", "koi comme qualites ?"]),
    ("le back-office il fait quoi exactement et aussi avec qui il bosse",
     ["le back-office il fait quoi exactement", "et aussi avec qui il bosse"]),
])
def test_questions_after_a_comma_or_et_aussi_are_questions_of_their_own(text, questions):
    assert [q for q, asked in _split(text) if asked] == questions


def test_a_question_with_its_own_subject_is_not_joined_to_the_sentence_before():
    """"Ses spécialités sont-elles mentionnées … ?": "elles mentionnées" is no "les mentionne" pointing back."""
    text = ("Elle aimerait travailler dans une banque, plutôt dans les services qui traitent les opérations. "
            "Ses spécialités sont-elles mentionnées pour le métier de gestionnaire de back-office ?")
    assert [q for q, asks in _split(text) if asks] == [
        "Ses spécialités sont-elles mentionnées pour le métier de gestionnaire de back-office ?"]



@pytest.mark.parametrize("text,question", [
    ("merci 🙏 et l'anglais, pour les deux ?", "et l'anglais, pour les deux ?"),
    ("ok merci et ça paye bien ?", "et ça paye bien ?"),
    ("ok cool et le middle, english level ?", "et le middle, english level ?"),
])
def test_thanks_or_an_acknowledgement_before_et_is_no_part_of_the_question(text, question):
    assert [q for q, asks in _split(text) if asks] == [question]


def test_thanks_with_no_question_after_stay_one_sentence():
    assert _split("merci et bonne journée") == [("merci et bonne journée", True)]


def test_a_list_of_three_questions_each_of_its_own_subject_is_three_questions():
    text = "Middle office : il bosse avec qui, il voyage beaucoup, et il encadre des gens ?"
    assert [q for q, asks in _split(text) if asks] == [
        "Middle office : il bosse avec qui,", "il voyage beaucoup,", "et il encadre des gens ?"]


def test_whom_asked_in_sms_opens_a_question():
    assert _split("avec ki bosse le back et faut kel caractere") == [
        ("avec ki bosse le back", True), ("et faut kel caractere", True)]


@pytest.mark.parametrize("text,first", [
    ("back office : avec qui il travaille, et c'est quoi ses perspectives ?", "back office : avec qui il travaille,"),
    ("Depuis le middle office on peut aller où, et on y arrive en venant de quels métiers ?",
     "Depuis le middle office on peut aller où,"),
])
def test_where_closing_a_clause_or_a_question_after_its_subject_and_a_colon_asks(text, first):
    assert _split(text)[0] == (first, True)
