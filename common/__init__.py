"""Settings and wording shared by every layer; imports nothing of the project."""
