"""A stored conversation, corrected by an operator, written as a Rasa story (what Rasa X's interactive learning did).

Each turn is the student's message (intent, entities), then what followed it: the bot's actions and the slots that
changed. The operator corrects an intent or an entity (the domain's lists) or an action (the domain's actions and
responses) and saves the story as a test story (tests/test_stories.yml, run by `make test-core`) or a training
story (data/stories/from_console.yml). Students are often minors: a message's text is written only in a test story
and only where the operator ticked that it holds nothing personal; otherwise the intent and entities alone. Slot
values that are free text (the `question` slot repeats the student's words) follow the same rule.

The story is appended as text at the end of the file's `stories:` list (the rest of the file stays byte for byte),
read back, and refused when a story with the same steps exists. The previous content is kept aside so that the
last save can be undone (refused when the file changed since). Tests: tests/ops/test_console_stories.py.
"""
from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from common.settings import PROJECT_DIR
from ops.console.store import Turn

TEST_STORIES = PROJECT_DIR / "tests" / "test_stories.yml"
TRAINING_DIR = PROJECT_DIR / "data" / "stories"
TRAINING_FILE_NAME = "from_console.yml"
TRAINING_HEADER = ('version: "3.1"\n# Stories saved from real conversations by the operators\' console '
                   "(docs/operators.md, section 6c).\nstories:\n")
# Rasa's own actions an operator may expect (rasa.shared.core.constants), besides the domain's actions and responses
RASA_ACTIONS = ("action_default_fallback", "action_restart", "action_back", "action_two_stage_fallback",
                "action_unlikely_intent")
RASA_INTENTS = ("nlu_fallback",)  # the FallbackClassifier's, not declared in the domain
MAX_TURNS = 40
MAX_VALUE = 100
KINDS = ("test", "training")
IDENTIFIER = re.compile(r"^[\w+.-]{1,40}$")  # a slot value that is an id ("back-office", "studies"), not a sentence
LAST_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)


class StoryRefused(ValueError):
    """The story cannot be written; the argument is the French reason shown to the operator."""


class StoryExists(StoryRefused):
    """A story with the same steps is already in the file."""


@dataclass(frozen=True)
class Vocabulary:
    """What a story may name: the domain's intents, entities, actions (and responses) and slots."""

    intents: tuple[str, ...]
    entities: tuple[str, ...]
    actions: tuple[str, ...]
    slots: tuple[str, ...]

    @classmethod
    def from_domain(cls, path: Path) -> Vocabulary:
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(intents=tuple(sorted({*_names(domain.get("intents")), *RASA_INTENTS})),
                   entities=tuple(sorted(_names(domain.get("entities")))),
                   actions=tuple(sorted({*_names(domain.get("actions")), *(domain.get("responses") or {}),
                                         *RASA_ACTIONS})),
                   slots=tuple(sorted(domain.get("slots") or {})))

    def to_json(self) -> dict:
        return {"intents": list(self.intents), "entities": list(self.entities), "actions": list(self.actions)}


def _names(items: object) -> set[str]:
    """A domain list's names: `- greet` and `- greet: {use_entities: …}` alike."""
    return {str(next(iter(i))) if isinstance(i, dict) and i else str(i) for i in (
        items if isinstance(items, list) else [])}


@dataclass(frozen=True)
class Correction:
    """The operator's version of one turn: its intent, entities and actions, and whether its text may be kept."""

    intent: str
    entities: tuple[dict, ...]  # {"entity", "value"} and, to annotate a kept text, "start"/"end" or "words"
    actions: tuple[str, ...]
    keep_text: bool = False

    @classmethod
    def from_json(cls, data: object) -> Correction:
        """Read one turn of the page's request; StoryRefused on anything malformed."""
        if not isinstance(data, dict):
            raise StoryRefused("Chaque message doit être décrit par un objet JSON.")
        entities, actions = data.get("entities") or [], data.get("actions") or []
        if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities) or len(entities) > 20:
            raise StoryRefused("Les entités doivent être une liste d'objets {entity, value} (20 au plus).")
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions) or len(actions) > 10:
            raise StoryRefused("Les actions doivent être une liste de noms (10 au plus).")
        return cls(intent=str(data.get("intent") or ""), entities=tuple(entities), actions=tuple(actions),
                   keep_text=data.get("keep_text") is True)


def _one_line(text: str) -> str:
    return " ".join("".join(c if unicodedata.category(c) != "Cc" else " " for c in text).split())


def draft(turn: Turn) -> dict:
    """What the story form shows for one turn: the stored parse and actions, the text not kept by default."""
    return {"ts": turn.timestamp, "text": turn.text, "payload": turn.payload, "intent": turn.intent,
            "entities": [{"entity": e.get("entity"), "value": e.get("value"), "start": e.get("start"),
                          "end": e.get("end"), "words": _words(turn.text, e)} for e in turn.entities],
            "actions": [s["action"] for s in turn.steps if "action" in s],
            "slots": [[s["slot"], s["value"]] for s in turn.steps if "slot" in s], "keep_text": False}


def chosen_turns(stored: Sequence[Turn], sent: object, kind: str) -> tuple[list[Turn], list[Correction]]:
    """The stored turns the page sent (by timestamp, in the conversation's order, once each) and their corrections;
    StoryRefused with the French reason otherwise."""
    if kind not in KINDS:
        raise StoryRefused("Type d'histoire inconnu : « test » ou « training » (entraînement).")
    if not isinstance(sent, list) or not sent:
        raise StoryRefused("Cochez au moins un message de la conversation.")
    if len(sent) > MAX_TURNS:
        raise StoryRefused(f"{MAX_TURNS} messages au plus par histoire.")
    by_time = {round(t.timestamp, 6): t for t in stored}
    chosen, corrections = [], []
    for item in sent:
        correction = Correction.from_json(item)
        try:
            turn = by_time.get(round(float(item.get("ts")), 6))
        except (TypeError, ValueError):
            turn = None
        if turn is None:
            raise StoryRefused("Message introuvable dans cette conversation (supprimé par la rétention ?).")
        chosen.append(turn)
        corrections.append(correction)
    times = [t.timestamp for t in chosen]
    if times != sorted(set(times)):
        raise StoryRefused("Les messages doivent être ceux de la conversation, dans son ordre, une fois chacun.")
    return chosen, corrections


def _words(text: str, entity: dict) -> str:
    start, end = entity.get("start"), entity.get("end")
    return text[start:end] if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text) else ""


def _span(text: str, entity: dict) -> tuple[int, int] | None:
    """Where the entity's words are in the text: its stored span, else the first place its `words` occur."""
    if _words(text, entity):
        return entity["start"], entity["end"]
    words = " ".join(str(entity.get("words") or "").split())
    position = text.casefold().find(words.casefold()) if words else -1
    return (position, position + len(words)) if position >= 0 else None


def _entities(turn: Turn, correction: Correction, vocabulary: Vocabulary) -> list[dict]:
    """The corrected entities, checked: {"entity", "value", "span"}."""
    checked = []
    for entity in correction.entities:
        name, value = str(entity.get("entity") or ""), _one_line(str(entity.get("value") or ""))
        if name not in vocabulary.entities:
            raise StoryRefused(f"Entité inconnue du domaine : « {name[:40]} » "
                               f"(connues : {', '.join(vocabulary.entities)}).")
        if not value or len(value) > MAX_VALUE:
            raise StoryRefused(f"L'entité {name} doit avoir une valeur (1 à {MAX_VALUE} caractères).")
        checked.append({"entity": name, "value": value, "span": _span(turn.text, entity)})
    return checked


def annotated_text(turn: Turn, entities: list[dict]) -> str:
    """The student's text with the entities written inline: `[bo](job)`, or `[bo]{"entity": …, "value": …}` when the
    operator gave a value other than the words and the NLU's own value for them."""
    stored = {(e.get("entity"), e.get("start"), e.get("end")): e.get("value") for e in turn.entities}
    spans = []
    for entity in entities:
        if entity["span"] is None:
            raise StoryRefused(f"Entité {entity['entity']} : indiquez les mots du message qui la portent, ou ne "
                               "gardez pas le texte.")
        spans.append((*entity["span"], entity["entity"], entity["value"]))
    spans.sort()
    for (_, end, *_), (start, *_) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise StoryRefused("Deux entités se chevauchent dans le message.")
    parts, position = [], 0
    for start, end, name, value in spans:
        words = turn.text[start:end]
        parts.append(turn.text[position:start])
        if value == words or stored.get((name, start, end)) == value:
            parts.append(f"[{words}]({name})")
        else:
            parts.append(f"[{words}]{json.dumps({'entity': name, 'value': value}, ensure_ascii=False)}")
        position = end
    text = _one_line("".join(parts) + turn.text[position:])
    if re.search(r"[\[\]{}]", re.sub(r"\[[^\]]+\](\([^)]+\)|\{[^}]+\})", "", text)):
        raise StoryRefused("Crochets ou accolades dans le message hors d'une annotation : Rasa le lirait mal ; "
                           "ne gardez pas le texte.")
    return text


def _shareable(value: object) -> bool:
    """A slot value that says nothing of the student's own words: empty, a number, a flag or an id."""
    return value is None or isinstance(value, (bool, int, float)) or isinstance(value, str) and bool(
        IDENTIFIER.match(value))


def story_steps(turns: Sequence[Turn], corrections: Sequence[Correction], vocabulary: Vocabulary,
                with_text: bool) -> list[dict]:
    """The story's steps for these turns as the operator corrected them (`with_text`: a test story, which may keep
    a confirmed text; a training story never does — Rasa would train end to end on it)."""
    if not turns:
        raise StoryRefused("Aucun message à enregistrer.")
    if len(turns) > MAX_TURNS:
        raise StoryRefused(f"{MAX_TURNS} messages au plus par histoire.")
    if len(corrections) != len(turns):
        raise StoryRefused("Une correction par message est attendue.")
    steps: list[dict] = []
    for turn, correction in zip(turns, corrections, strict=True):
        if correction.intent not in vocabulary.intents:
            raise StoryRefused(f"Intention inconnue du domaine : « {correction.intent[:60]} ».")
        entities = _entities(turn, correction, vocabulary)
        keep = with_text and correction.keep_text and not turn.payload
        if keep:
            steps.append({"user": annotated_text(turn, entities), "intent": correction.intent})
        else:
            step: dict = {"intent": correction.intent}
            if entities:
                step["entities"] = [{e["entity"]: e["value"]} for e in entities]
            steps.append(step)
        steps += _after(turn, correction, vocabulary, keep, {(e["entity"], e["value"]) for e in entities})
    return steps


def _after(turn: Turn, correction: Correction, vocabulary: Vocabulary, keep: bool,
           entities: set[tuple[str, str]]) -> list[dict]:
    """The actions (corrected) and slot changes after one message. Slots set by the bot's actions are written only
    for a turn left as it was: after a corrected intent or action they describe an answer that was wrong."""
    stored = [s["action"] for s in turn.steps if "action" in s]
    actions = list(correction.actions)
    if len(actions) != len(stored) and not (not stored and len(actions) == 1):
        raise StoryRefused("Chaque action du bot peut être corrigée, pas ajoutée ni retirée.")
    for action in actions:
        if action not in vocabulary.actions:
            raise StoryRefused(f"Action inconnue du domaine : « {action[:60]} ».")
    unchanged = correction.intent == turn.intent and actions == stored
    result: list[dict] = []
    slots: list[dict] = []
    done = 0
    for step in turn.steps:
        if "action" in step:
            if slots:
                result.append({"slot_was_set": slots})
                slots = []
            result.append({"action": actions[done]})
            done += 1
            continue
        name, value = step["slot"], step["value"]
        by_entity = done == 0 and any(value == v for _, v in entities)  # from the message's entities
        if name in vocabulary.slots and (unchanged or by_entity) and (keep or _shareable(value)):
            slots.append({name: value})
    if slots:
        result.append({"slot_was_set": slots})
    result += [{"action": action} for action in actions[done:]]
    return result


def story_name(conversation_day: str, saved: datetime, messages: int) -> str:
    """Where the story comes from: the console, the day of the conversation, when it was saved (no sender id)."""
    return (f"console, conversation du {conversation_day}, {messages} message{'s' if messages > 1 else ''}, "
            f"enregistrée le {saved:%Y-%m-%d à %H:%M}")


def to_yaml(story: dict) -> str:
    """One item of a `stories:` list, in the layout of the project's files (steps indented under the item)."""
    return yaml.safe_dump([story], allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000)


# --- identical stories ----------------------------------------------------------------------------------------------
def _annotations(text: str) -> tuple[str, set[tuple[str, str]]]:
    found: set[tuple[str, str]] = set()

    def keep(match: re.Match) -> str:
        words, rest = match.group(1), match.group(2)
        if rest.startswith("("):
            found.add((rest[1:-1], words))
        else:
            try:
                data = json.loads(rest)
                found.add((str(data.get("entity")), str(data.get("value", words))))
            except (ValueError, AttributeError):
                found.add((rest, words))
        return words
    return " ".join(re.sub(r"\[([^\]]+)\](\([^)]+\)|\{[^}]+\})", keep, text).split()), found


def _pairs(items: object) -> set[tuple[str, str]]:
    """{entity: value} items, {entity:, value:} items or bare names, as (name, value) pairs."""
    pairs = set()
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and "entity" in item:
            pairs.add((str(item["entity"]), str(item.get("value"))))
        elif isinstance(item, dict):
            pairs.update((str(k), str(v)) for k, v in item.items())
        else:
            pairs.add((str(item), ""))
    return pairs


def normalized(steps: object) -> tuple:
    """A story's steps in a form where two ways of writing the same step compare equal."""
    result: list[tuple] = []
    for step in steps if isinstance(steps, list) else []:
        if not isinstance(step, dict):
            result.append(("other", repr(step)))
        elif "intent" in step or "user" in step:
            text, annotated = _annotations(str(step.get("user") or "").strip()) if "user" in step else ("", set())
            result.append(("user", str(step.get("intent") or ""), text,
                           frozenset(annotated | _pairs(step.get("entities")))))
        elif "action" in step:
            result.append(("action", str(step["action"])))
        elif "slot_was_set" in step:
            result.append(("slots", frozenset(_pairs(step["slot_was_set"]))))
        else:
            result.append(("other", json.dumps(step, sort_keys=True, default=str)))
    return tuple(result)


def stories_in(content: str) -> list[dict]:
    """The stories of a Rasa YAML file's content (StoryRefused when it is not readable)."""
    try:
        data = yaml.safe_load(content) or {}
    except yaml.YAMLError as error:
        raise StoryRefused(f"Le fichier d'histoires n'est pas du YAML lisible ({error.__class__.__name__}).") from None
    stories = data.get("stories") if isinstance(data, dict) else None
    return [s for s in stories if isinstance(s, dict)] if isinstance(stories, list) else []


def identical(story: dict, contents: Iterable[str]) -> str | None:
    """The name of a story with the same steps in one of these files' contents, if any."""
    wanted = normalized(story["steps"])
    for content in contents:
        for other in stories_in(content):
            if normalized(other.get("steps")) == wanted:
                return str(other.get("story") or "")
    return None


def appended(content: str | None, story: dict, header: str = TRAINING_HEADER) -> str:
    """`content` with the story added at the end of its `stories:` list, nothing else changed (a new file: the
    header, then the story). StoryRefused when `stories:` is not the file's last top-level key."""
    if content is None or not content.strip():
        return header + to_yaml(story)
    keys = LAST_TOP_KEY.findall(content)
    if not keys or keys[-1] != "stories":
        raise StoryRefused("« stories: » n'est pas la dernière clé du fichier : ajoutez l'histoire à la main.")
    result = content + ("" if content.endswith("\n") else "\n") + to_yaml(story)
    before = stories_in(content)
    after = stories_in(result)
    if len(after) != len(before) + 1 or after[-1] != story:
        raise StoryRefused("Le fichier n'aurait pas été relu comme prévu : rien n'a été modifié.")
    return result


@dataclass(frozen=True)
class Saved:
    path: Path
    name: str
    kind: str


class StoryFiles:
    """The two files stories are saved to, and the undo of the last save (its previous content kept in `backup`)."""

    def __init__(self, test_file: Path = TEST_STORIES, training_dir: Path = TRAINING_DIR,
                 backup: Path = PROJECT_DIR / "var" / "console-last-story.json") -> None:
        self.test_file, self.training_dir, self.backup = test_file, training_dir, backup
        self._lock = threading.Lock()

    def target(self, kind: str) -> Path:
        if kind not in KINDS:
            raise StoryRefused("Type d'histoire inconnu : « test » ou « training » (entraînement).")
        return self.test_file if kind == "test" else self.training_dir / TRAINING_FILE_NAME

    def save(self, story: dict, kind: str) -> Saved:
        """Append `story` to the file of its kind; StoryRefused when a story with the same steps is there."""
        path = self.target(kind)
        with self._lock:
            before = path.read_text(encoding="utf-8") if path.is_file() else None
            others = [before or ""] if kind == "test" else [
                p.read_text(encoding="utf-8") for p in sorted(self.training_dir.glob("*.yml"))]
            same = identical(story, others)
            if same is not None:
                raise StoryExists(f"Une histoire identique existe déjà : « {same[:120]} ».")
            after = appended(before, story)
            self.backup.parent.mkdir(parents=True, exist_ok=True)
            self.backup.write_text(json.dumps({"path": str(path), "before": before, "after": after,
                                               "name": story["story"], "kind": kind}, ensure_ascii=False),
                                   encoding="utf-8")
            self.backup.chmod(0o600)
            path.write_text(after, encoding="utf-8")
            return Saved(path, story["story"], kind)

    def undo(self) -> Saved:
        """Put back the file of the last save as it was; StoryRefused when nothing to undo or the file changed."""
        with self._lock:
            try:
                last = json.loads(self.backup.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise StoryRefused("Aucun enregistrement à annuler.") from None
            path = Path(last["path"])
            current = path.read_text(encoding="utf-8") if path.is_file() else None
            if current != last["after"]:
                raise StoryRefused(f"{path.name} a changé depuis l'enregistrement : rien n'a été annulé.")
            if last["before"] is None:
                path.unlink()
            else:
                path.write_text(last["before"], encoding="utf-8")
            self.backup.unlink()
            return Saved(path, last["name"], last["kind"])
