"""Answers read in Markdown clients (rasa-webchat renders bot texts with react-markdown): every list of facts is a
real Markdown list, not one run-on paragraph.

Real answers: the real actions' output on the real knowledge base, filled into domain.yml's templates, rendered by
two Markdown libraries of the venv — markdown-it-py (CommonMark) and Python-Markdown, which, like react-markdown 4
(rasa-webchat 1.0.1), starts a list only after a blank line.
"""
from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest
from markdown_it import MarkdownIt
from rasa_sdk.executor import CollectingDispatcher

from actions.compare_jobs import dispatch_comparison
from actions.dispatch import dispatch_answer
from bot.nlg import jobs_values
from common.wording import response_text
from knowledge import queries
from knowledge.render import fact_line
from tests.actions.test_planner import ask, only

RENDERERS = {
    "commonmark": MarkdownIt("commonmark").render,
    "python-markdown": lambda text: markdown.markdown(text),
}


class _Items(HTMLParser):
    """The text of each <li> of an HTML fragment, and the tags met."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.tags: set[str] = set()
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        if tag == "li":
            self.items.append("")
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.items[-1] += data


def list_items(html: str) -> tuple[list[str], set[str]]:
    parser = _Items()
    parser.feed(html)
    return [item.strip() for item in parser.items], parser.tags


def said(message: dict) -> str:
    """The text the student gets: the message's domain.yml response, filled as Rasa's generator does."""
    return response_text(message["response"], **{**jobs_values(), **message})


@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_every_topic_answer_is_a_markdown_list(renderer):
    """Each job, each topic: the list items are the facts, nothing else (grouped facts included)."""
    for job in queries.list_jobs():
        for topic in queries.topics():
            answer = queries.topic_answer(job.id, topic)
            dispatcher = CollectingDispatcher()
            dispatch_answer(dispatcher, answer)
            items, tags = list_items(RENDERERS[renderer](said(only(dispatcher.messages))))
            facts = answer.facts if answer.found else answer.instead.facts if answer.instead else ()
            if topic == "source":
                assert len(items) == 3 and items[0].startswith("Éditeur"), items
            else:
                assert items == [fact_line(fact) for fact in facts], (job.id, topic)
            assert tags <= {"p", "ul", "li", "a"}, tags  # no fact read as emphasis, code or a heading


@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_a_comparison_lists_each_jobs_facts_under_its_name(renderer):
    dispatcher = CollectingDispatcher()
    dispatch_comparison(dispatcher, "missions")
    html = RENDERERS[renderer](said(only(dispatcher.messages)))
    items, _ = list_items(html)
    expected = [fact_line(f) for answer in queries.compare("missions") for f in answer.facts]
    assert items == expected
    assert all(f"<p>▸ {job.name}" in html for job in queries.list_jobs()), html  # each job's name heads its lists


@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_a_precise_answer_with_several_facts_is_a_list(renderer):
    message = only(ask("ask_figures", "les offres demandent combien d'années d'expérience au middle ?", "mo")[0])
    items, _ = list_items(RENDERERS[renderer](said(message)))
    assert len(items) == 3 and any("Entre 5 et 10 ans" in item for item in items), items


def test_bullets_without_a_blank_line_were_one_paragraph():
    """Why: the former "text :\\n• a\\n• b" is a single paragraph in every Markdown renderer."""
    for render in RENDERERS.values():
        assert list_items(render("Les missions :\n• Saisir\n• Contrôler"))[0] == []
