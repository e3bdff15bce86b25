"""Custom actions (rasa_sdk): read slots and entities, ask `knowledge.queries`, dispatch a domain response."""
