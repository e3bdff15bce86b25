"""Tables of the knowledge base (SQLAlchemy 1.4, written in the 2.0 style)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # SQLAlchemy 1.4 ships no type information


class Job(Base):
    __tablename__ = "kb_job"

    id = Column(String(64), primary_key=True)
    name = Column(String(200), nullable=False)
    sheet_file = Column(String(200), nullable=False)
    source_publisher = Column(Text, nullable=False)
    source_title = Column(Text, nullable=False)
    source_url = Column(Text)
    source_quote = Column(Text, nullable=False)


class Alias(Base):
    __tablename__ = "kb_alias"
    __table_args__ = (UniqueConstraint("compact", name="uq_alias_compact"),)

    id = Column(Integer, primary_key=True)
    job_id = Column(String(64), ForeignKey("kb_job.id", ondelete="CASCADE"), nullable=False, index=True)
    alias = Column(String(200), nullable=False)
    compact = Column(String(200), nullable=False)


class SkillLevel(Base):
    __tablename__ = "kb_skill_level"

    job_id = Column(String(64), ForeignKey("kb_job.id", ondelete="CASCADE"), primary_key=True)
    level = Column(Integer, primary_key=True)
    label = Column(String(100), nullable=False)
    quote = Column(Text, nullable=False)


class Fact(Base):
    __tablename__ = "kb_fact"

    id = Column(Integer, primary_key=True)
    job_id = Column(String(64), ForeignKey("kb_job.id", ondelete="CASCADE"), nullable=False, index=True)
    topic = Column(String(64), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    group_label = Column(Text)
    group_quote = Column(Text)
    text = Column(Text, nullable=False)
    quote = Column(Text, nullable=False)
    level = Column(Integer)
    skill_type = Column(String(64))
    code = Column(String(64))
    url = Column(Text)
    aliases = Column(Text)  # search words, one per line
    direction = Column(String(8))  # careers: "from" or "to"
