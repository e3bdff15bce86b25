"""Every fact the bot can say carries a quote that is really in its sheet."""
from __future__ import annotations

import pytest

from knowledge.loader import load_all
from knowledge.text import normalise_sheet_text
from tests.conftest import KNOWLEDGE_DIR

TOPICS, JOBS = load_all(KNOWLEDGE_DIR)


def _quotes(job):
    yield "source", job.source_quote
    if job.level_quote:
        yield "skill levels", job.level_quote
    for fact in job.facts:
        yield f"{fact.topic}: {fact.text}", fact.quote
        if fact.group_quote:
            yield f"{fact.topic} group {fact.group}", fact.group_quote


CASES = [(job.id, where, quote) for job in JOBS for where, quote in _quotes(job)]


@pytest.mark.parametrize("job_id,where,quote", CASES, ids=[f"{c[0]}|{c[1][:40]}" for c in CASES])
def test_quote_is_in_its_sheet(job_id, where, quote):
    job = next(j for j in JOBS if j.id == job_id)
    sheet = normalise_sheet_text(job.sheet_path.read_text(encoding="utf-8"))
    assert normalise_sheet_text(quote) in sheet, f"{job_id} / {where}: quote not found in {job.sheet_path.name}"


def test_every_fact_has_text_and_quote():
    for job in JOBS:
        for fact in job.facts:
            assert fact.text.strip() and fact.quote.strip(), (job.id, fact)


@pytest.mark.parametrize("job", JOBS, ids=[j.id for j in JOBS])
def test_no_number_the_sheet_does_not_print(job):
    """Digits in what the bot says (text, codes) must appear in the sheet: no invented figures."""
    import re

    sheet = normalise_sheet_text(job.sheet_path.read_text(encoding="utf-8"))
    for fact in job.facts:
        for number in re.findall(r"\d+(?: \d{3})*", f"{fact.text} {fact.code or ''}"):
            assert number in sheet, f"{job.id}: {number!r} in {fact.text!r} is not in the sheet"


def test_sheets_are_the_shared_originals_unchanged():
    """The project's copies are byte for byte the extracted sheets (when the shared folder is present)."""
    shared = KNOWLEDGE_DIR.parent.parent / "shared" / "job-sheets"
    if not shared.is_dir():
        pytest.skip("no ../shared/job-sheets beside this clone: nothing to compare the sheets with")
    compared = [job for job in JOBS if (shared / job.sheet_path.name).is_file()]
    assert compared, "none of the project's sheets is in ../shared/job-sheets"
    for job in compared:  # a job added later may come from elsewhere: only the shared ones are compared
        assert job.sheet_path.read_bytes() == (shared / job.sheet_path.name).read_bytes()


def test_normalisation_undoes_pdf_artefacts():
    assert normalise_sheet_text("Back-O!ce et a!aires") == "back-office et affaires"
    assert normalise_sheet_text("n \ufffdPRÉVENTION DE LA\n  CORRUPTION") == "prévention de la corruption"
    assert normalise_sheet_text("ré-\nglementation  la") == "réglementation la"
    assert normalise_sheet_text("des métiers qui bougent !") == "des métiers qui bougent !"
