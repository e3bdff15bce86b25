"""`make forget SENDER=...` with any sender id the REST channel accepts (issue 21): one starting with "-" too."""
from __future__ import annotations

import os
import subprocess

import sqlalchemy as sa

from common.advisor_queue import AdvisorQueue
from common.settings import PROJECT_DIR


def _events_db(tmp_path, senders: tuple[str, ...]) -> tuple[str, sa.engine.Engine]:
    """A conversation store with Rasa's events table and one user message per sender."""
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    engine = sa.create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                                   "type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), "
                                   "action_name VARCHAR(255), data TEXT)"))
        for sender in senders:
            connection.execute(sa.text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                       "VALUES (:s, 'user', 1.0, '{}')"), {"s": sender})
    return url, engine


def test_make_forget_takes_a_sender_that_looks_like_an_option(tmp_path):
    url, engine = _events_db(tmp_path, ("-x", "--help", "kept"))
    queue = AdvisorQueue(url)
    for sender in ("-x", "kept"):  # a question sent to the advisors goes with its conversation
        queue.ask(sender, "une question pour un conseiller ?")
    for sender in ("-x", "--help"):
        result = subprocess.run(["make", "--no-print-directory", "forget"], cwd=PROJECT_DIR, capture_output=True,
                                text=True, timeout=120, env=dict(os.environ, SENDER=sender, TRACKER_DB_URL=url))
        assert result.returncode == 0 and "Deleted 1 events" in result.stdout, result.stdout + result.stderr
    with engine.connect() as connection:
        left = connection.execute(sa.text("SELECT sender_id FROM events")).scalars().all()
    assert left == ["kept"]
    assert [q.sender_id for q in queue.pending()] == ["kept"]


def test_forget_deletes_the_console_review_marks_of_the_conversation_too(tmp_path, capsys, monkeypatch):
    from ops.console.marks import Marks
    from ops.conversations import main

    url, _ = _events_db(tmp_path, ("student",))
    marks_file = tmp_path / "console.sqlite3"
    marks = Marks(f"sqlite:///{marks_file}")
    marks.set("student", 1.0, "reviewed", "Anne")
    marks.set("other", 2.0, "ignored", "Anne")
    monkeypatch.setenv("TRACKER_DB_URL", url)
    assert main(["forget", "student", "--marks", str(marks_file)]) == 0
    assert "1 console review mark" in capsys.readouterr().out
    assert set(marks.all()) == {("other", 2.0)}
