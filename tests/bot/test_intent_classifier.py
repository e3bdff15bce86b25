"""bot.intent_classifier: the plain model (features, calibrated confidences, files) and the Rasa component
trained and loaded by Rasa itself."""
from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest

from bot.intent_classifier import LinearIntentClassifier, LinearIntentModel, fold
from tests.bot.models import train_toy_nlu

TEXTS = {
    "ask_missions": ["quelles missions pour le bo", "que fait le middle office", "les taches du back office",
                     "il fait quoi au quotidien", "son travail c koi", "ses activites principales"],
    "ask_studies": ["quelles etudes pour le bo", "quel diplome pour le middle", "il faut un master",
                    "apres le bac je fais quoi", "quelle formation suivre", "quelles ecoles"],
    "greet": ["bonjour", "salut", "coucou", "hello", "bonsoir", "yo"],
}
CONFIG = {**LinearIntentClassifier.get_default_config()}


def _training() -> tuple[list[str], list[str]]:
    texts = [t for examples in TEXTS.values() for t in examples]
    return texts, [intent for intent, examples in TEXTS.items() for _ in examples]


@pytest.fixture(scope="module")
def model() -> LinearIntentModel:
    return LinearIntentModel.fit(*_training(), None, CONFIG)


def test_fold_drops_case_and_accents():
    assert fold("Compétences ÉTUDES à l'Étranger") == "competences etudes a l'etranger"


def test_predicts_seen_and_misspelt_questions(model):
    rows = model.predict(["quelles etudes pour le mo", "kel diplom", "Bonjour !", "c koi ses missions"], None)
    assert [model.intents[i] for i in rows.argmax(axis=1)] == ["ask_studies", "ask_studies", "greet",
                                                               "ask_missions"]


def test_confidences_are_probabilities(model):
    rows = model.predict(["quelles etudes", "zzzz qqqq", ""], None)
    assert rows.shape == (3, 3)
    assert np.allclose(rows.sum(axis=1), 1.0)
    assert (rows >= 0).all()
    assert model.temperature > 0


def test_dense_features_are_used_and_tolerated_when_missing():
    texts, intents = _training()
    dense = np.random.default_rng(0).normal(size=(len(texts), 4))
    with_dense = LinearIntentModel.fit(texts, intents, dense, CONFIG)
    assert with_dense.dense_size == 4
    assert with_dense.weights.shape[1] > LinearIntentModel.fit(texts, intents, None, CONFIG).weights.shape[1]
    # a message without the sentence vector (another featurizer removed) is still classified
    assert with_dense.predict(["salut"], None).shape == (1, 3)


def test_files_round_trip_gives_the_same_predictions(model, tmp_path):
    model.to_files(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "weights.npz"]
    json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))  # plain JSON, no pickle
    loaded = LinearIntentModel.from_files(tmp_path)
    texts = ["quelles etudes pour le bo", "salut toi", "il fait quoi le mo"]
    assert np.allclose(loaded.predict(texts, None), model.predict(texts, None))


def test_two_intents_only():
    binary = LinearIntentModel.fit(TEXTS["greet"] + TEXTS["ask_studies"], ["greet"] * 6 + ["ask_studies"] * 6,
                                   None, CONFIG)
    rows = binary.predict(["coucou", "quel diplome"], None)
    assert [binary.intents[i] for i in rows.argmax(axis=1)] == ["greet", "ask_studies"]


PIPELINE = """\
recipe: default.v1
language: fr
pipeline:
  - name: WhitespaceTokenizer
  - name: bot.intent_classifier.LinearIntentClassifier
  - name: FallbackClassifier
    threshold: 0.3
"""


@pytest.fixture(scope="module")
def toy_model(tmp_path_factory):
    nlu = 'version: "3.1"\nnlu:\n' + "".join(
        f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {t}\n" for t in examples)
        for intent, examples in TEXTS.items())
    return train_toy_nlu(tmp_path_factory.mktemp("linear"), PIPELINE, nlu)


def test_rasa_trains_loads_and_parses_with_the_component(toy_model):
    from rasa.core.agent import Agent

    agent = Agent.load(toy_model)
    loop = asyncio.new_event_loop()
    try:
        parsed = [loop.run_until_complete(agent.parse_message(t)) for t in ("quelles etudes faire", "coucou")]
    finally:
        loop.close()
    assert [p["intent"]["name"] for p in parsed] == ["ask_studies", "greet"]
    ranking = parsed[0]["intent_ranking"]
    assert ranking[0]["name"] == "ask_studies"
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0, abs=1e-6)


def test_fast_scores_equal_the_sparse_features_product():
    texts, intents = _training()
    dense = np.random.default_rng(1).normal(size=(len(texts), 5))
    fitted = LinearIntentModel.fit(texts, intents, dense, CONFIG)
    probe = ["Quelles études pour le BO ?", "kel diplom", "", "zzz", "c koi ses missions au quotidien"]
    probe_dense = np.random.default_rng(2).normal(size=(len(probe), 5))
    probe_dense[2] = 0.0  # an empty message has a zero vector
    sparse = LinearIntentModel.features(fitted.blocks, probe, probe_dense) @ fitted.weights.T + fitted.bias
    assert np.allclose(fitted.scores(probe, probe_dense), sparse)


def _processed(model: LinearIntentModel, text: str):
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    component = LinearIntentClassifier(CONFIG, None, None, model)  # type: ignore[arg-type]
    [message] = component.process([Message({TEXT: text})])
    return message


@pytest.mark.parametrize("text,intent", [
    ("Bonjour ! Quelles études pour le back office ?", "ask_studies"),
    ("Bonjour. Je vous remercie. Et concernant ses missions ?", "ask_missions"),
])
def test_a_greeting_sentence_does_not_decide_the_intent(model, text, intent):
    message = _processed(model, text)
    assert message.get("intent")["name"] == intent
    assert [q["intent"] for q in message.get("questions")] == [intent]


def test_several_questions_are_kept_in_order_with_the_context_apart(model):
    message = _processed(model, "salut. j'ai un master. quelles etudes pour le bo ? et il fait quoi au quotidien ?")
    assert message.get("intent")["name"] == "ask_studies"
    assert [q["intent"] for q in message.get("questions")] == ["ask_studies", "ask_missions"]
    assert message.get("context") == ["j'ai un master."]
    assert "questions" in message.as_dict(only_output_properties=True)  # reaches the tracker's parse data


def test_a_hesitant_first_question_does_not_decide_the_message(model):
    """A first question read with little confidence: the message takes the intent of the next question read
    surely (its action answers both), never a fallback for the whole message."""
    from bot.intent_classifier import SURE_QUESTION

    hesitant = "bon alors ça donne quoi tout ça ?"
    assert _processed(model, hesitant).get("intent")["confidence"] < SURE_QUESTION
    message = _processed(model, f"{hesitant} quelles etudes pour le bo ?")
    assert [q["intent"] for q in message.get("questions")][-1] == "ask_studies"
    assert message.get("intent")["name"] == "ask_studies" and message.get("intent")["confidence"] >= SURE_QUESTION


def test_one_sentence_is_classified_as_before(model):
    message = _processed(model, "quelles etudes pour le bo")
    assert message.get("questions") is None
    assert message.get("intent")["name"] == "ask_studies"


def test_a_greeting_that_says_more_is_kept_as_context(model):
    text = "Bonjour, je suis la mère d'un lycéen en terminale STMG. Quelles études pour le back office ?"
    message = _processed(model, text)
    assert message.get("context") == ["Bonjour, je suis la mère d'un lycéen en terminale STMG."]
    assert [q["intent"] for q in message.get("questions")] == ["ask_studies"]


def test_the_signature_after_a_sign_off_is_no_context(model):
    """"Cordialement, M. Benali, conseiller au CIO": the writer's role, not a job the question is about (it was
    checked against the careers: "la fiche ne cite pas « conseiller »")."""
    text = ("Je prépare un atelier sur la finance. Pourriez-vous me détailler les formations du middle-office ? "
            "Cordialement, M. Benali, conseiller au CIO")
    message = _processed(model, text)
    assert message.get("context") == ["Je prépare un atelier sur la finance."]
    assert len(message.get("questions")) == 1


@pytest.mark.parametrize("text", ["%s%s%s", "?", "!!!", "123", "c", "%d %x"])
def test_a_message_without_words_has_no_intent(model, text):
    """Format strings, punctuation, digits, a lone letter: every intent equally (unlikely), so the fallback asks to
    rephrase instead of a guessed topic ("%s%s%s" was answered as a salary question)."""
    ranking = _processed(model, text).get("intent_ranking")
    confidences = [r["confidence"] for r in ranking]
    assert max(confidences) == pytest.approx(min(confidences)) == pytest.approx(1 / len(TEXTS))


@pytest.mark.parametrize("text", ["ok", "bo ?", "👍", ":)", "c koi", "a+", "@+"])
def test_short_messages_with_a_word_or_an_emoji_are_read(model, text):
    confidences = [r["confidence"] for r in _processed(model, text).get("intent_ranking")]
    assert max(confidences) > min(confidences)


def test_past_three_questions_a_repeated_intent_gives_way_to_a_new_one():
    from bot.intent_classifier import kept_questions

    labels = ["greet", "ask_careers", "ask_trainings", "ask_careers", "ask_trainings", "ask_rhythm"]
    assert kept_questions([1, 2, 3, 4, 5], labels) == [1, 2, 5]  # in order, the hours kept
    assert kept_questions([1, 2, 3], labels) == [1, 2, 3]  # three or fewer: all of them
    assert kept_questions([1, 2, 3, 4], ["x", "a", "a", "a", "a"]) == [1, 2, 3]  # one intent: the first three


@pytest.fixture(scope="module")
def advisor_model() -> LinearIntentModel:
    texts = {**TEXTS, "ask_advisor": ["je veux parler a un conseiller", "transmets ma question a un humain",
                                      "un conseiller peut me repondre", "je voudrais un vrai conseiller",
                                      "passe moi un humain", "adresse ma question a une personne"]}
    return LinearIntentModel.fit([t for e in texts.values() for t in e],
                                 [i for i, e in texts.items() for _ in e], None, CONFIG)


def test_one_sentence_alone_never_sends_a_message_of_several_to_an_advisor(advisor_model):
    """"… j'aimerais comprendre à qui il est adressé ? Et quelles études pour le bo ?": the sentence that reads like a
    request for a human (its words) does not decide a message whose whole is no such request; asked as a whole
    message, it still is."""
    message = _processed(advisor_model, "bonjour. a qui il est adresse ce conseil ? quelles etudes pour le bo ?")
    assert message.get("intent")["name"] != "ask_advisor"
    assert "ask_advisor" not in [q["intent"] for q in message.get("questions")]
    assert _processed(advisor_model, "je veux parler a un conseiller").get("intent")["name"] == "ask_advisor"


class _ScriptedModel:
    """The classifier's model, scripted: the confidences of the whole message, then of each sentence, by text."""

    def __init__(self, intents: list[str], rows: dict[str, list[float]]):
        self.intents, self.rows = intents, rows

    def predict(self, texts, vectors):
        return np.array([self.rows[t] for t in texts], dtype=float)


def test_a_question_read_unsurely_as_thanks_asks_something():
    """"Je vous remercie. Ces fiches indiquent-elles un âge minimum … ?": the question sentence, read as thanks with
    little confidence, takes its best intent that is not social — the thanks do not decide the message."""
    thanks, question = "Je vous remercie.", "Ces fiches indiquent-elles un âge minimum pour exercer ces métiers ?"
    text = f"{thanks} {question}"
    intents = ["thank", "ask_source", "ask_studies"]
    scripted = _ScriptedModel(intents, {text: [0.95, 0.03, 0.02], thanks: [0.98, 0.01, 0.01],
                                        question: [0.30, 0.28, 0.12]})
    message = _processed(scripted, text)  # type: ignore[arg-type]
    assert [q["intent"] for q in message.get("questions")] == ["ask_source"]
    assert message.get("intent")["name"] == "ask_source"
    # a question read surely as thanks ("merci pour tout, vraiment ?") stays thanks
    sure = _ScriptedModel(intents, {text: [0.95, 0.03, 0.02], thanks: [0.98, 0.01, 0.01],
                                    question: [0.80, 0.10, 0.10]})
    assert _processed(sure, text).get("questions") == []  # type: ignore[arg-type]


def test_a_sentence_that_asks_with_a_question_word_is_more_than_a_job_named():
    """"Le back-office fait quoi, et il faut quelles études ?": its first sentence, read as only naming the job, asks
    what the job does: its next intent; "et le middle ?" (no question word) may still only name a job."""
    first, second = "Le back-office fait quoi,", "et il faut quelles études ?"
    text = f"{first} {second}"
    intents = ["inform_job", "ask_definition", "ask_studies"]
    scripted = _ScriptedModel(intents, {text: [0.1, 0.1, 0.8], first: [0.44, 0.40, 0.16], second: [0.0, 0.1, 0.9]})
    message = _processed(scripted, text)  # type: ignore[arg-type]
    assert [q["intent"] for q in message.get("questions")] == ["ask_definition", "ask_studies"]
    follow = "et le middle ? et les études ?"
    scripted = _ScriptedModel(intents, {follow: [0.5, 0.1, 0.4], "et le middle ?": [0.9, 0.05, 0.05],
                                        "et les études ?": [0.0, 0.1, 0.9]})
    assert [q["intent"] for q in _processed(scripted, follow).get("questions")] == [  # type: ignore[arg-type]
        "inform_job", "ask_studies"]


def test_a_self_correction_is_classified_from_what_it_corrects_to():
    """"ah dsl je voulais dire middle office" is read as what follows the correction (a job named), not as thanks."""
    intents = ["thank", "inform_job"]
    scripted = _ScriptedModel(intents, {"middle office": [0.1, 0.9]})  # the whole message is never read
    message = _processed(scripted, "ah dsl je voulais dire middle office")  # type: ignore[arg-type]
    assert message.get("intent")["name"] == "inform_job"
