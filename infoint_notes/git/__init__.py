"""git: the pre-commit hook, and the vault as the next commit will hold it."""
