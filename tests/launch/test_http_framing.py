"""common/http_framing.py: which request heads leave a body's length in doubt."""
from __future__ import annotations

import pytest
from sanic.compat import Header

from common.http_framing import bad_framing


@pytest.mark.parametrize("fields,reason", [
    ([("content-length", "5")], None),
    ([("transfer-encoding", "chunked")], None),
    ([], None),
    ([("content-length", "-1")], "content-length"),
    ([("content-length", "+5")], "content-length"),
    ([("content-length", "5_0")], "content-length"),
    ([("content-length", "5"), ("content-length", "6")], "content-length"),
    ([("transfer-encoding", "Chunked")], "transfer-encoding"),
    ([("transfer-encoding", "chunked"), ("content-length", "5")], "transfer-encoding"),
    ([("content-length ", "5")], "field name"),
])
def test_bad_framing(fields, reason):
    assert bad_framing(Header(fields)) == reason
