"""The advisors' side of the console: the queue's questions as JSON, and an answer pushed to the student's chat.

The push is Rasa's own door for proactive messages: `POST /conversations/<sender>/trigger_intent` with the external
intent `EXTERNAL_advisor_answer` and `output_channel=latest` (the student's socket.io room when the page is open),
behind RASA_API_TOKEN. When Rasa's API is off or unreachable the answer stays in the queue; the chat channel replays
it when the student comes back (bot/channels.py).
"""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import asdict
from urllib.parse import quote, urlencode

from common.advisor_queue import AdvisorQuestion

EXTERNAL_INTENT = "EXTERNAL_advisor_answer"
PUSH_TIMEOUT = 15  # seconds; Rasa answers within a second when it is up


def as_json(question: AdvisorQuestion) -> dict:
    data = asdict(question)
    data["sender"] = data.pop("sender_id")
    return data


class RasaPush:
    """Pushes an answered question into the student's conversation through Rasa's HTTP API."""

    def __init__(self, rasa_url: str, token: str | None):
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token

    def __call__(self, question: AdvisorQuestion) -> bool:
        if not self.token:  # Rasa's API is off without a token: the channel replays the answer instead
            return False
        query = urlencode({"output_channel": "latest", "token": self.token})
        url = f"{self.rasa_url}/conversations/{quote(question.sender_id, safe='')}/trigger_intent?{query}"
        body = json.dumps({"name": EXTERNAL_INTENT, "entities": {"advisor_answer": str(question.id)}}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=PUSH_TIMEOUT) as response:
                return 200 <= response.status < 300
        except urllib.error.HTTPError as error:  # Rasa refused it: the status and Rasa's reason, never the text
            reason = error.read(300).decode("utf-8", "replace").replace("\n", " ")
            sys.stderr.write(f"console: advisor answer {question.id} not pushed: HTTP {error.code} {reason}\n")
            return False
        except (urllib.error.URLError, OSError) as error:
            sys.stderr.write(f"console: advisor answer {question.id} not pushed: {error.__class__.__name__}\n")
            return False
