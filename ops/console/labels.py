"""Labelling a stored message: add it, annotated, to the training file of its intent under data/nlu/.

Refused (with a French reason shown to the operator): an intent or entity the domain does not declare, a text
that is not the stored message, a message of the held-out sets (tests/nlu/*.yml, compared folded: they measure
the bot on messages it never saw) or one already in the training data (Rasa's validator would warn about a
duplicate). The example is inserted at the end of the intent's block, the file's own layout untouched, and the
file is read back as YAML; a file that would not read is restored.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from common.settings import PROJECT_DIR
from ops.console.text import ANNOTATION, fold, plain

HOLDOUT_FILES = (PROJECT_DIR / "tests" / "nlu" / "holdout.yml", PROJECT_DIR / "tests" / "nlu" / "holdout_precise.yml")
DOMAIN_FILE = PROJECT_DIR / "domain.yml"
MAX_CHARS = 500
NOT_LABELS = {"nlu_fallback"}


class LabelRefused(ValueError):
    """The message cannot be added; the argument is the French reason shown to the operator."""


@dataclass(frozen=True)
class Added:
    path: Path
    example: str
    intent: str


def annotate(text: str, entities: list[dict], known_entities: set[str] | None = None) -> str:
    """`text` with the stored entities written as Rasa annotations (`le [BO](job)`).

    Overlapping spans keep the first."""
    spans, last_end = [], -1
    for entity in sorted(entities, key=lambda e: (e.get("start") or 0, -(e.get("end") or 0))):
        start, end, name = entity.get("start"), entity.get("end"), entity.get("entity")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            continue
        if start < last_end or not name or known_entities is not None and name not in known_entities:
            continue
        spans.append((start, end, name))
        last_end = end
    result, position = [], 0
    for start, end, name in spans:
        result += [text[position:start], f"[{text[start:end]}]({name})"]
        position = end
    return "".join(result + [text[position:]])


def _examples(path: Path) -> list[tuple[str, str]]:
    """(intent, example) pairs of a Rasa NLU file; nothing for a file that is not one."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    blocks = (data.get("nlu") or []) if isinstance(data, dict) else []
    pairs = []
    for block in blocks:
        if isinstance(block, dict) and "intent" in block and isinstance(block.get("examples"), str):
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    pairs.append((str(block["intent"]), line.strip()[2:]))
    return pairs


def _one_line(text: str) -> str:
    return " ".join("".join(c if unicodedata.category(c) != "Cc" else " " for c in text).split())


class TrainingData:
    """The NLU files of one folder (data/nlu/, or a copy of it for tests) and the held-out sets."""

    def __init__(self, nlu_dir: Path, holdout_files: tuple[Path, ...] = HOLDOUT_FILES,
                 domain_file: Path = DOMAIN_FILE) -> None:
        self.nlu_dir, self.holdout_files = nlu_dir, holdout_files
        domain = yaml.safe_load(domain_file.read_text(encoding="utf-8"))
        # external intents come from the console itself through Rasa's API (an advisor's answer), never from words
        self.intents = sorted(i for i in set(domain.get("intents") or []) - NOT_LABELS if not i.startswith("EXTERNAL_"))
        self.entities = set(domain.get("entities") or [])
        self._lock = threading.Lock()

    def files(self) -> list[Path]:
        """Hand-written training files (generated ones are rewritten by `make nlu`)."""
        return sorted(p for p in self.nlu_dir.glob("*.yml") if not p.stem.endswith("_generated"))

    def file_for(self, intent: str) -> Path | None:
        """The file holding most examples of `intent` (an intent split over files goes to its main one)."""
        counts = {path: sum(1 for name, _ in _examples(path) if name == intent) for path in self.files()}
        best = max(counts, key=lambda path: counts[path], default=None)
        return best if best is not None and counts[best] else None

    def draft(self, text: str, intent: str, entities: list[dict]) -> dict:
        """What the label form is pre-filled with: the stored parse, annotated."""
        return {"text": annotate(text, entities, self.entities), "intent": intent if intent in self.intents else "",
                "file": (lambda p: p.name if p else "")(self.file_for(intent)) if intent in self.intents else ""}

    def check(self, annotated: str, intent: str, stored_text: str) -> str:
        """The example to write, or LabelRefused with the reason."""
        annotated = _one_line(annotated)
        if intent not in self.intents:
            raise LabelRefused(f"Intention inconnue du domaine : « {intent[:60]} ».")
        if not annotated or len(annotated) > MAX_CHARS:
            raise LabelRefused(f"Le message doit faire entre 1 et {MAX_CHARS} caractères.")
        if plain(annotated) != _one_line(stored_text):
            raise LabelRefused("Le texte annoté doit rester le message de l'élève : seules les annotations "
                               "[mots](entité) peuvent être ajoutées ou retirées.")
        for name in (match.group(2) for match in ANNOTATION.finditer(annotated)):
            if name not in self.entities:
                raise LabelRefused(f"Entité inconnue du domaine : « {name[:40]} » "
                                   f"(connues : {', '.join(sorted(self.entities))}).")
        if re.search(r"[\[\]{}]", ANNOTATION.sub("", annotated)):
            raise LabelRefused("Crochets ou accolades hors d'une annotation [mots](entité) : Rasa les lirait mal.")
        folded = fold(annotated)
        if not folded:
            raise LabelRefused("Ce message ne contient aucun mot à apprendre.")
        for path in self.holdout_files:
            if any(fold(example) == folded for _, example in _examples(path)):
                raise LabelRefused(f"Ce message est dans le jeu de test {path.name} : il sert à mesurer le bot "
                                   "sur des messages jamais vus, il ne doit pas entrer dans l'entraînement.")
        for path in sorted(self.nlu_dir.glob("*.yml")):
            for name, example in _examples(path):
                if fold(example) == folded:
                    raise LabelRefused(f"Ce message est déjà dans l'entraînement ({path.name}, intention {name}).")
        return annotated

    def add(self, annotated: str, intent: str, stored_text: str) -> Added:
        with self._lock:
            example = self.check(annotated, intent, stored_text)
            path = self.file_for(intent)
            if path is None:
                raise LabelRefused(f"Aucun fichier de {self.nlu_dir.name}/ ne contient l'intention {intent}.")
            before = path.read_text(encoding="utf-8")
            after = insert_example(before, intent, example)
            path.write_text(after, encoding="utf-8")
            if (intent, example) not in _examples(path):
                path.write_text(before, encoding="utf-8")
                raise LabelRefused(f"{path.name} n'aurait plus été lisible : rien n'a été modifié.")
            return Added(path, example, intent)


    def example_of(self, intent: str, text: str) -> str | None:
        """The example of `intent` written for a message (its text, annotations aside, folded), if still there."""
        path = self.file_for(intent) if intent in self.intents else None
        if path is None:
            return None
        said = fold(text)
        return next((example for name, example in _examples(path) if name == intent and fold(example) == said), None)

    def remove(self, intent: str, example: str) -> Path:
        """Undo a label: the example line written by `add` is taken out of its intent's block (LabelRefused when it
        is not there any more, e.g. edited by hand)."""
        with self._lock:
            example = _one_line(example)
            path = self.file_for(intent) if intent in self.intents else None
            if path is None or (intent, example) not in _examples(path):
                raise LabelRefused("Cet exemple n'est plus dans l'entraînement : rien à annuler.")
            before = path.read_text(encoding="utf-8")
            lines = before.splitlines(keepends=True)
            header = re.compile(rf"^- intent:\s*{re.escape(intent)}\s*(#.*)?$")
            start = next(n for n, line in enumerate(lines) if header.match(line.rstrip("\n")))
            for position in range(start + 1, len(lines)):
                line = lines[position]
                if line.strip() and not line[0].isspace():
                    break
                if line.strip() == f"- {example}":
                    del lines[position]
                    break
            path.write_text("".join(lines), encoding="utf-8")
            if (intent, example) in _examples(path):
                path.write_text(before, encoding="utf-8")
                raise LabelRefused("L'exemple n'a pas pu être retiré : rien n'a été modifié.")
            return path


def insert_example(content: str, intent: str, example: str) -> str:
    """`content` with `- example` after the last example of the `- intent: <intent>` block, same indentation."""
    lines = content.splitlines(keepends=True)
    header = re.compile(rf"^- intent:\s*{re.escape(intent)}\s*(#.*)?$")
    index = next((number for number, line in enumerate(lines) if header.match(line.rstrip("\n"))), None)
    if index is None:
        raise LabelRefused(f"Bloc « - intent: {intent} » introuvable.")
    last, prefix = None, "    - "
    for position in range(index + 1, len(lines)):
        line = lines[position]
        if line.strip() and not line[0].isspace():
            break  # the next block
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and len(line) - len(stripped) >= 2:
            last, prefix = position, line[: len(line) - len(stripped)] + "- "
    if last is None:
        raise LabelRefused(f"Le bloc de l'intention {intent} n'a pas d'exemples.")
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines.insert(last + 1, f"{prefix}{example}\n")
    return "".join(lines)
