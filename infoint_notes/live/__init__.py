"""Watching the vault while you edit: re-read what changed, report what appeared
and went."""
