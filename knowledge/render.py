"""Plain-text rendering of topic answers, for the inspection CLI and the bot's chat bubbles."""
from __future__ import annotations

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


def facts_block(facts: tuple[FactItem, ...], bullet: str = "• ") -> str:
    """Facts as bullets, under their group headings when the sheet groups them."""
    lines: list[str] = []
    group = object()
    for fact in facts:
        if fact.group != group:
            group = fact.group
            if group:
                if lines:
                    lines.append("")
                lines.append(f"{group} :")
        lines.append(f"{bullet}{fact_line(fact)}")
    return "\n".join(lines)


def answer_text(answer: TopicAnswer) -> str:
    """A full plain-text answer, used by `python -m knowledge show`."""
    head = f"{answer.job.name} — {answer.label}"
    if not answer.found:
        body = f"La fiche ne donne pas d'information sur ce sujet ({answer.label.lower()})."
        if answer.instead:
            instead = answer.instead
            body += f"\nÀ la place, elle indique ({instead.label.lower()}) :\n" + facts_block(instead.facts)
        return f"{head}\n{body}"
    return f"{head}\n{facts_block(answer.facts)}\nSource : {answer.source.publisher}"


def quoted_facts(facts: tuple[FactItem, ...], attribute: str | None = None) -> str:
    """One fact inline « in quotes », several as bullets; a diploma's link when the link or code is asked."""
    def line(fact: FactItem) -> str:
        text = fact_line(fact)
        return f"{text} : {fact.url}" if attribute in ("code", "url") and fact.url else text
    if len(facts) == 1:
        return f"« {line(facts[0])} »"
    return "\n" + "\n".join(f"• {line(f)}" for f in facts)
