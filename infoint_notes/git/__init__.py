"""git: the pre-commit hook, the vault as the next commit will hold it, and the first
commit of a new vault."""
