"""Tombstones of forgotten conversations (`make forget`), shared by the tracker store and ops/conversations.py.

Only SQLAlchemy: the operators' commands import it without loading Rasa."""
from __future__ import annotations

import sqlalchemy as sa

FORGOTTEN_TABLE = "forgotten_senders"


def forgotten_table(metadata: sa.MetaData) -> sa.Table:
    """No event of `sender_id` from before `forgotten_at` is ever written again (bot/tracker_store.py)."""
    return sa.Table(FORGOTTEN_TABLE, metadata, sa.Column("sender_id", sa.String(255), primary_key=True),
                    sa.Column("forgotten_at", sa.Float, nullable=False))
