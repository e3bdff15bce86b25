"""Short texts that are not whole bot messages (button titles, a line inside an answer, channel notices)
also live in domain.yml `responses`, so operators edit all wording in one place. Read once, then cached."""
from __future__ import annotations

from functools import lru_cache

import yaml

from common.settings import PROJECT_DIR


@lru_cache(maxsize=1)
def _responses() -> dict:
    path = PROJECT_DIR / "domain.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        return {}  # no domain file (a tool run outside the project): callers' default sentences
    except yaml.YAMLError as error:  # a broken domain.yml must be seen, not replaced by defaults
        raise ValueError(f"{path} is not valid YAML: {error}") from None
    return data.get("responses") or {}


def response_text(key: str, default: str | None = None, **values: object) -> str:
    """The first variation's text of a domain.yml response, filled with `values`."""
    variations = _responses().get(key) or []
    template = variations[0].get("text") if variations else default
    if template is None:
        raise KeyError(f"domain.yml has no response {key!r}")
    return template.format(**values)
