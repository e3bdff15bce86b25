"""Launchers: the stack (action server, Rasa server, chat page) and each server's entry point."""
