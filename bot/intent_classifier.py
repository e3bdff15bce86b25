"""A linear intent classifier: trains in about a second and predicts in well under a millisecond.

Features: TF-IDF of character n-grams (typos, SMS spelling) and of words, both on the text folded to
lowercase without accents, plus the pipeline's dense sentence vector (spaCy's word vectors: "competences" ~
"savoir-faire"); each block L2-normalised. A linear SVM separates the intents; its scores become confidences
through a softmax whose temperature is fitted on cross-validated scores, so Rasa's FallbackClassifier
thresholds read a calibrated probability. Why not DIET for intents: docs/performance.md ("Issue 10").

The model is stored as plain arrays (JSON + npz), never pickled.
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from knowledge.sentences import Sentence, asks_with_question_word, repaired, sentences, signature_start

logger = logging.getLogger(__name__)

SOCIAL_WORDS = 4  # a sentence the NLU reads as a greeting or thanks, longer than this, also tells something
MAX_QUESTIONS = 3  # questions of one message answered in order
SURE_QUESTION = 0.5  # a question read at least this confidently can give a message of several its intent


def kept_questions(asked: list[int], labels: list[str]) -> list[int]:
    """The questions answered, in order, at most MAX_QUESTIONS: past that many, a question of an intent already
    kept gives way to one of a new intent (a parent who asks the same thing twice, then about the hours)."""
    if len(asked) <= MAX_QUESTIONS:
        return asked
    firsts = [i for n, i in enumerate(asked) if labels[i] not in {labels[j] for j in asked[:n]}]
    rest = [i for i in asked if i not in firsts]
    return sorted((firsts + rest)[:MAX_QUESTIONS])
WORD_PATTERN = r"(?u)\b\w+\b"  # keeps one-letter words: "c", "j", "t" carry meaning in SMS French
TEMPERATURES = np.logspace(-1, 2.5, 120)


_WORD = re.compile(r"[^\W\d_]{2,}")
_EMOTICON = re.compile(r"[:;=xX]-?[()DPp3]|<3|\^\^|(?<!\w)[aA@] ?\+")  # smileys, "a+" (SMS "à plus")


def says_anything(text: str) -> bool:
    """Whether a message has a word of two letters or more, an emoji, a smiley or "a+": "%s%s%s", "?", "!!!", "123" or
    a lone "c" have no intent to read (the classifier would guess one from their characters)."""
    return bool(_WORD.search(text) or _EMOTICON.search(text) or any(ord(c) >= 0x2190 for c in text))


def fold(text: str) -> str:
    """Lowercase without accents: students type "competences" as often as "compétences"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class TextBlock:
    """One TF-IDF block (sublinear tf, L2 rows) with a fixed vocabulary."""

    analyzer: str
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, texts: list[str], analyzer: str, ngram_range: tuple[int, int]) -> TextBlock:
        vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, lowercase=False,
                                     token_pattern=WORD_PATTERN, sublinear_tf=True)
        vectorizer.fit(texts)
        vocabulary = {term: int(index) for term, index in vectorizer.vocabulary_.items()}
        return cls(analyzer, ngram_range, vocabulary, vectorizer.idf_.astype(np.float64))

    def __post_init__(self) -> None:
        # built once: checking a fixed vocabulary of ~20k n-grams costs more than counting a message
        self._counter = CountVectorizer(analyzer=self.analyzer, ngram_range=self.ngram_range, lowercase=False,
                                        token_pattern=WORD_PATTERN, vocabulary=self.vocabulary)
        self._counter.transform([""])  # validates the vocabulary now, once
        self._analyzer = self._counter.build_analyzer()

    def weighted_terms(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One folded text's column indices and L2-normalised TF-IDF values (what `transform` gives its row)."""
        counts: dict[int, int] = {}
        for term in self._analyzer(text):
            index = self.vocabulary.get(term)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[indices]
        return indices, values / np.linalg.norm(values)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        counts = self._counter.transform(texts).astype(np.float64)
        counts.data = 1.0 + np.log(counts.data)
        return normalize(counts.multiply(self.idf).tocsr())


@dataclass
class LinearIntentModel:
    """Plain-Python model: features, SVM weights and the confidence temperature."""

    blocks: list[TextBlock]
    weights: np.ndarray  # (intents, features)
    bias: np.ndarray  # (intents,)
    intents: list[str]
    temperature: float
    dense_size: int

    @staticmethod
    def features(blocks: list[TextBlock], texts: list[str], dense: np.ndarray | None) -> sp.csr_matrix:
        folded = [fold(t or "") for t in texts]
        parts = [block.transform(folded) for block in blocks]
        if dense is not None and dense.shape[1]:
            parts.append(sp.csr_matrix(normalize(dense)))
        return sp.hstack(parts).tocsr()

    @classmethod
    def fit(cls, texts: list[str], intents: list[str], dense: np.ndarray | None, config: dict[str, Any]
            ) -> LinearIntentModel:
        blocks = [TextBlock.fit([fold(t) for t in texts], "char_wb", tuple(config["char_ngram_range"])),
                  TextBlock.fit([fold(t) for t in texts], "word", tuple(config["word_ngram_range"]))]
        x = cls.features(blocks, texts, dense)
        svm = LinearSVC(C=config["C"], random_state=config["random_seed"])
        svm.fit(x, intents)
        labels = [str(label) for label in svm.classes_]
        scores = svm.decision_function(x)
        if len(labels) == 2:  # binary SVMs give one score; keep one row per intent
            weights = np.vstack([-svm.coef_[0], svm.coef_[0]])
            bias = np.array([-svm.intercept_[0], svm.intercept_[0]])
        else:
            weights, bias = svm.coef_, svm.intercept_
        temperature = cls.fit_temperature(x, intents, labels, config, fallback=scores)
        return cls(blocks, np.asarray(weights), np.asarray(bias), labels, temperature,
                   0 if dense is None else dense.shape[1])

    @staticmethod
    def fit_temperature(x: sp.csr_matrix, intents: list[str], labels: list[str], config: dict[str, Any],
                        fallback: np.ndarray) -> float:
        """The softmax temperature that best predicts held-out folds (log-loss), so confidences mean something."""
        smallest = min(intents.count(label) for label in labels)
        folds = min(5, smallest)
        if folds < 2 or len(labels) < 3:
            return float(config["default_temperature"])
        scores = cross_val_predict(LinearSVC(C=config["C"], random_state=config["random_seed"]), x, intents,
                                   cv=StratifiedKFold(folds, shuffle=True, random_state=config["random_seed"]),
                                   method="decision_function")
        truth = np.array([labels.index(i) for i in intents])
        losses = [_log_loss(scores * t, truth) for t in TEMPERATURES]
        return float(TEMPERATURES[int(np.argmin(losses))])

    def __post_init__(self) -> None:
        # features x intents, rows contiguous: a message's scores sum the rows of the features it has
        self._by_feature = np.ascontiguousarray(self.weights.T)
        self._offsets = np.cumsum([0] + [len(block.idf) for block in self.blocks]).tolist()

    def scores(self, texts: list[str], dense: np.ndarray | None) -> np.ndarray:
        """SVM scores, one row per text: the same numbers as `features(...) @ weights.T + bias`, summed from
        the few weight rows a short message touches instead of building sparse matrices (~10x faster)."""
        rows = np.tile(self.bias, (len(texts), 1))
        for row, text in enumerate(texts):
            folded = fold(text or "")
            for block, offset in zip(self.blocks, self._offsets, strict=False):
                indices, values = block.weighted_terms(folded)
                if len(indices):
                    rows[row] += values @ self._by_feature[offset + indices]
            if self.dense_size and dense is not None and dense.shape[1] == self.dense_size:
                norm = np.linalg.norm(dense[row])
                if norm > 0:
                    rows[row] += (dense[row] / norm) @ self._by_feature[self._offsets[-1]:]
        return rows

    def predict(self, texts: list[str], dense: np.ndarray | None) -> np.ndarray:
        """Confidences, one row per text, one column per intent (same order as `intents`); a missing
        sentence vector counts as zeros."""
        return _softmax(self.scores(texts, dense) * self.temperature)

    def to_files(self, directory: Any) -> None:
        meta = {"intents": self.intents, "temperature": self.temperature, "dense_size": self.dense_size,
                "blocks": [{"analyzer": b.analyzer, "ngram_range": list(b.ngram_range), "vocabulary": b.vocabulary}
                           for b in self.blocks]}
        (directory / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        arrays = {f"idf_{i}": b.idf for i, b in enumerate(self.blocks)}
        np.savez(directory / "weights.npz", weights=self.weights, bias=self.bias, **arrays)

    @classmethod
    def from_files(cls, directory: Any) -> LinearIntentModel:
        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        with np.load(directory / "weights.npz", allow_pickle=False) as arrays:
            blocks = [TextBlock(b["analyzer"], tuple(b["ngram_range"]), b["vocabulary"], arrays[f"idf_{i}"])
                      for i, b in enumerate(meta["blocks"])]
            return cls(blocks, arrays["weights"], arrays["bias"], meta["intents"], meta["temperature"],
                       meta["dense_size"])


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _log_loss(scores: np.ndarray, truth: np.ndarray) -> float:
    probabilities = _softmax(scores)
    return float(-np.mean(np.log(probabilities[np.arange(len(truth)), truth] + 1e-12)))


def _span_vectors(message: Message, parts: list[Sentence]) -> np.ndarray | None:
    """One vector per sentence: the mean of its words' vectors (how spaCy's featurizer pools the message's)."""
    sequence, sentence = message.get_dense_features(TEXT)
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    if sequence is None or sentence is None or len(tokens) != len(sequence.features):
        return None if sentence is None else np.tile(np.asarray(sentence.features).reshape(-1), (len(parts), 1))
    words = np.asarray(sequence.features)
    whole = np.asarray(sentence.features).reshape(-1)
    rows = []
    for part in parts:
        inside = [i for i, token in enumerate(tokens) if token.start >= part.start and token.end <= part.end]
        rows.append(words[inside].mean(axis=0) if inside else whole)
    return np.vstack(rows)


def _sentence_vectors(messages: list[Message]) -> np.ndarray | None:
    rows = []
    for message in messages:
        _, sentence = message.get_dense_features(TEXT)
        if sentence is None:
            return None
        rows.append(np.asarray(sentence.features).reshape(-1))
    return np.vstack(rows) if rows else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Intents from a linear SVM on folded character/word TF-IDF and the sentence vector (module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 1.0, "char_ngram_range": [2, 5], "word_ngram_range": [1, 1], "random_seed": 42,
                "default_temperature": 5.0, "ranking_length": LABEL_RANKING_LENGTH,
                # sentences of these intents never decide a message of several sentences
                "context_intents": ["greet", "goodbye", "thank", "bot_challenge"],
                # intents one sentence of several cannot give alone: the whole message must read so too ("à qui il
                # est adressé" in a parent's questions is no request for a human advisor)
                "whole_message_intents": ["ask_advisor"],
                # intents that only name a job ("le back office"): a sentence of several that asks with a question
                # word ("Le back-office fait quoi, et il faut quelles études ?") asks more, read by its next intent
                "naming_intents": ["inform_job"]}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: LinearIntentModel | None = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.warning("LinearIntentClassifier needs examples of two intents or more; not trained.")
            return self._resource
        self.model = LinearIntentModel.fit([e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples],
                                           _sentence_vectors(examples), self.config)
        with self._model_storage.write_to(self._resource) as directory:
            self.model.to_files(directory)
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                return cls(config, model_storage, resource, LinearIntentModel.from_files(directory))
        except (ValueError, FileNotFoundError):
            logger.warning("No trained LinearIntentClassifier in the model; intents will not be predicted.")
            return cls(config, model_storage, resource)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None or not messages:
            return messages
        # "ah dsl je voulais dire middle office": a self-correction is read from what it corrects to
        texts = [repaired(m.get(TEXT) or "") for m in messages]
        confidences = self.model.predict(texts, _sentence_vectors(messages))
        for message, text, row in zip(messages, texts, confidences, strict=True):
            parts = sentences(message.get(TEXT) or "") if text == (message.get(TEXT) or "") else []
            if len(parts) > 1:
                row = self._focus(message, parts, row)
            if not says_anything(message.get(TEXT) or ""):  # "%s%s%s", "?", "123": no intent to read
                row = np.full(len(row), 1.0 / len(row))
            order = np.argsort(-row)
            ranking = [{"name": self.model.intents[i], "confidence": float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            length = self.config["ranking_length"]
            message.set(INTENT_RANKING_KEY, ranking[:length] if length > 0 else ranking, add_to_output=True)
        return messages

    def _focus(self, message: Message, parts: list[Sentence], whole: np.ndarray) -> np.ndarray:
        """A message of several sentences: its intent is the first question's, not the greeting's, the thanks' or
        the context's ("Je vous remercie. Et concernant les études ?"). Sets `questions` (up to three: text and
        intent, in order) and `context` (the sentences that ask nothing: "j'ai un bac pro commerce.") for the
        actions. Returns the confidences the intent is read from."""
        assert self.model is not None
        rows = self.model.predict([p.text for p in parts], _span_vectors(message, parts))
        whole_only = [self.model.intents.index(i) for i in self.config.get("whole_message_intents", [])
                      if i in self.model.intents]
        for column in whole_only:
            if int(np.argmax(whole)) != column:
                rows[:, column] = 0.0  # read from its own sentence only: the next intent of that sentence
                rows = rows / np.clip(rows.sum(axis=1, keepdims=True), 1e-9, None)
        social = set(self.config["context_intents"])
        social_columns = [self.model.intents.index(i) for i in social if i in self.model.intents]
        for i, part in enumerate(parts):
            if part.question and self.model.intents[int(np.argmax(rows[i]))] in social and \
                    float(np.max(rows[i])) < SURE_QUESTION and len(part.text.split()) > SOCIAL_WORDS:
                # "Je vous remercie. Ces fiches indiquent-elles un âge minimum … ?": a question of its own, read
                # unsurely as thanks, asks something: its best intent that is not social
                rows[i, social_columns] = 0.0
                rows[i] = rows[i] / max(float(rows[i].sum()), 1e-9)
        naming = [self.model.intents.index(i) for i in self.config.get("naming_intents", []) if i in self.model.intents]
        for i, part in enumerate(parts):
            if part.question and int(np.argmax(rows[i])) in naming and asks_with_question_word(part.text):
                rows[i, naming] = 0.0
                rows[i] = rows[i] / max(float(rows[i].sum()), 1e-9)
        labels = [self.model.intents[int(np.argmax(r))] for r in rows]
        asked = [i for i, part in enumerate(parts) if part.question and labels[i] not in social]
        said = [i for i, part in enumerate(parts) if not part.question and labels[i] not in social]
        message.set("questions", [{"text": parts[i].text, "intent": labels[i]} for i in kept_questions(asked, labels)],
                    add_to_output=True)
        # "Bonjour, je suis la mère d'un lycéen en terminale STMG.": a greeting that says more is context too
        # (never the signature after a sign-off: "Cordialement, M. Benali, conseiller au CIO" is not the student's job)
        signed = signature_start(parts)
        told = [i for i, part in enumerate(parts)
                if not part.question and i < signed and (i in said or len(part.text.split()) > SOCIAL_WORDS)]
        message.set("context", [parts[i].text for i in told], add_to_output=True)
        kept = kept_questions(asked, labels)
        # the first question read with confidence decides the message's intent (its action answers every question):
        # a first question the classifier hesitates on must not send the whole message to the fallback
        sure = [i for i in kept if float(np.max(rows[i])) >= SURE_QUESTION]
        chosen = (sure[0] if sure else max(kept, key=lambda i: float(np.max(rows[i])))) if kept else (
            said[-1] if said else None)
        return whole if chosen is None else rows[chosen]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
