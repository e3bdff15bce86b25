"""Log privacy filter, request limits, the action timeout patch and the no-silence guard (no servers)."""
from __future__ import annotations

import asyncio
import io
import json
import logging
import logging.config

import pytest
import yaml

from bot import limits, log_privacy
from bot.action_timeout import ACTION_TIMEOUT_SECONDS, install_action_timeout
from common.settings import PROJECT_DIR


@pytest.fixture()
def captured():
    """Rasa's logging configuration (bot/logging.yml), writing into a buffer."""
    config = yaml.safe_load((PROJECT_DIR / "bot" / "logging.yml").read_text(encoding="utf-8"))
    config["handlers"]["console"]["stream"] = io.StringIO()
    logging.config.dictConfig(config)
    yield config["handlers"]["console"]["stream"]
    logging.captureWarnings(False)
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False, "root": {"handlers": []}})


def test_remembered_texts_hidden_everywhere_in_a_record(captured):
    secret = "je m'appelle Zoé Marker42 et j'ai 14 ans"
    log_privacy.remember(secret, "session-abcdef123")
    logger = logging.getLogger("rasa.core.processor")
    try:
        body = json.dumps({"error": "x", "request_body": {"text": secret}})
        raise RuntimeError(f"500, Internal Server Error, body='{body}'")
    except RuntimeError:
        logger.exception("failed for %s with %r", "session-abcdef123", secret)
    logger.error('{"event": "rest.message.received.timeout", "text": "anything", "sender_id": "s"}')
    logger.error("escaped: %s", json.dumps({"text": secret}))
    out = captured.getvalue()
    assert "Marker42" not in out and "session-abcdef123" not in out and "anything" not in out
    assert "RuntimeError" in out and "body=[not logged]" in out and "rest.message.received.timeout" in out


def test_warnings_and_records_of_non_propagating_loggers_are_filtered(captured, capsys):
    import warnings

    log_privacy.remember("Marker43 texte secret")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        logging.captureWarnings(False)
        log_privacy.PrivacyFilter()  # as at Rasa's start: warnings routed to logging (pytest had replaced that)
        warnings.warn("Failed to parse 'Marker43 texte secret'", stacklevel=1)
    quiet = logging.getLogger("socketio.server")
    quiet.propagate = False
    quiet.warning("emitting Marker43 texte secret")
    assert "Marker43" not in captured.getvalue() + capsys.readouterr().err
    assert "Failed to parse" in captured.getvalue()


@pytest.mark.parametrize("sender,ok", [("a" * 64, True), ("a" * 65, False), (None, False), ("", False), ("  ", False),
                                       ("a b", False), ("x<script>", False), ({"a": 1}, False),
                                       ("test-1f2e:3@x.y_z", True)])
def test_sender_ids(sender, ok):
    assert (limits.sender_problem(sender) is None) is ok


@pytest.mark.parametrize("metadata,ok", [(None, True), ({"a": 1}, True), ([1], False), ("x", False),
                                         ({"a": "x" * limits.MAX_METADATA_BYTES}, False)])
def test_metadata(metadata, ok):
    assert (limits.metadata_problem(metadata) is None) is ok


def test_conversation_length_counts_seldom_and_refuses_past_the_limit():
    counts = []

    async def count(sender: str) -> int:
        counts.append(sender)
        return 100 if sender == "long" else 5

    length = limits.ConversationLength(count, limit=100, recount_every=3)

    async def run():
        return [await length.is_full("long"), *[await length.is_full("short") for _ in range(7)]]

    assert asyncio.run(run()) == [True] + [False] * 7
    assert counts.count("short") == 3  # first message, then every 3


def test_action_timeout_is_set_on_rasa_3_6():
    from rasa.core.actions import action

    assert install_action_timeout() is True
    assert action.DEFAULT_REQUEST_TIMEOUT == ACTION_TIMEOUT_SECONDS


class _Collect:
    def __init__(self):
        self.texts = []

    async def send_text_message(self, recipient_id, text, **kwargs):
        self.texts.append(text)


@pytest.mark.parametrize("failure", [asyncio.CancelledError, RuntimeError])
def test_a_cancelled_or_failed_handling_still_gets_the_apology(failure):
    from rasa.core.channels.channel import UserMessage

    from bot.channels import guard

    async def handler(message):
        raise failure()

    output = _Collect()
    message = UserMessage("les missions du back office ?", output, "guard-test")
    if failure is asyncio.CancelledError:
        with pytest.raises(asyncio.CancelledError):
            asyncio.run(guard(handler, 500)(message))
    else:
        asyncio.run(guard(handler, 500)(message))
    assert len(output.texts) == 1 and "Réessaie" in output.texts[0]


def test_an_answer_whose_message_could_not_be_stored_becomes_the_apology():
    """Nothing stored means nothing claimed: the REST reply collected before the save failed is replaced."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from sqlalchemy.exc import OperationalError

    from bot.channels import guard

    async def handler(message):
        await message.output_channel.send_response(message.sender_id, {"text": "Les missions du back-office : …"})
        raise OperationalError("INSERT INTO events", {}, Exception("database is locked"))

    output = CollectingOutputChannel()
    asyncio.run(guard(handler, 500)(UserMessage("les missions du back office ?", output, "guard-test")))
    assert len(output.messages) == 1 and "Réessaie" in output.messages[0]["text"]


def test_stored_events_are_counted_by_the_store_without_reading_the_conversation(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.tracker_store import CachedSQLTrackerStore

    store = CachedSQLTrackerStore(Domain.empty(), host=f"sqlite:///{tmp_path / 'c.sqlite3'}")
    events = [ActionExecuted("action_listen"), UserUttered("bonjour"), ActionExecuted("utter_greet"),
              ActionExecuted("action_listen")]
    asyncio.run(store.save(DialogueStateTracker.from_events("alice", events)))
    wrapped = AwaitableTrackerStore(FailSafeTrackerStore(store))  # as Rasa's agent holds it
    monkeypatch.setattr(CachedSQLTrackerStore, "retrieve_full_tracker",
                        lambda *args, **kwargs: pytest.fail("the whole conversation was read to count it"))
    app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=wrapped)))
    assert asyncio.run(limits.stored_events(app, "alice")) == len(events)
    assert asyncio.run(limits.stored_events(app, "nobody")) == 0
