"""Plain-text rendering of topic answers, for the inspection CLI and the bot's chat bubbles.

Lists are Markdown lists ("- " items, a blank line before them and around group headings), so that a client that
renders Markdown (rasa-webchat, Rasa's channels to messaging apps) shows a list instead of one run-on paragraph,
and a plain-text one (the advisors' shell, `rasa shell`) still reads them line by line. The chat page turns them
into HTML lists (launch/web/app.js). Tripwire: tests/knowledge/test_render_markdown.py."""
from __future__ import annotations

from itertools import groupby

from knowledge.queries import FactItem, TopicAnswer


def fact_line(fact: FactItem) -> str:
    """One bullet: the fact, with its level and type for skills, and its RNCP code for diplomas."""
    line = fact.text
    details = []
    if fact.level:
        details.append(f"niveau {fact.level_label or fact.level}" if fact.level_label else f"niveau {fact.level}")
    if fact.skill_type:
        details.append(fact.skill_type)
    if fact.code:
        details.append(fact.code)
    if details:
        line += f" ({', '.join(details)})"
    return line


BULLET = "- "


def bullets(lines: list[str]) -> str:
    """Lines as one Markdown list."""
    return "\n".join(f"{BULLET}{line}" for line in lines)


def facts_block(facts: tuple[FactItem, ...]) -> str:
    """Facts as a Markdown list, one list per group under its heading when the sheet groups them."""
    blocks: list[str] = []
    for group, items in groupby(facts, key=lambda fact: fact.group):
        if group:
            blocks.append(f"{group} :")
        blocks.append(bullets([fact_line(fact) for fact in items]))
    return "\n\n".join(blocks)


def answer_text(answer: TopicAnswer) -> str:
    """A full plain-text answer, used by `python -m knowledge show`."""
    head = f"{answer.job.name} — {answer.label}"
    if not answer.found:
        body = f"La fiche ne donne pas d'information sur ce sujet ({answer.label.lower()})."
        if answer.instead:
            instead = answer.instead
            body += f"\nÀ la place, elle indique ({instead.label.lower()}) :\n\n" + facts_block(instead.facts)
        return f"{head}\n{body}"
    return f"{head}\n\n{facts_block(answer.facts)}\n\nSource : {answer.source.publisher}"


def quoted_facts(facts: tuple[FactItem, ...], attribute: str | None = None) -> str:
    """One fact inline « in quotes », several as a Markdown list after a blank line; a diploma's link when the link
    or code is asked."""
    def line(fact: FactItem) -> str:
        text = fact_line(fact)
        return f"{text} : {fact.url}" if attribute in ("code", "url") and fact.url else text
    if len(facts) == 1:
        return f"« {line(facts[0])} »"
    return "\n\n" + bullets([line(f) for f in facts])
