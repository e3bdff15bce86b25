"""Operators' tools: stored conversations (review, purge, forget) and the benchmark."""
