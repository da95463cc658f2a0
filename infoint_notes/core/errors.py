"""Failures that stop a command before it can run (exit 2 in the CLI)."""


class UsageError(Exception):
    """The command cannot run: no vault, a bad argument, an unusable config.

    Bad content in a note is never this: it is a `Diagnostic`.
    """


class WriteRefused(Exception):
    """A writing command refused to touch a file (exit 1, the file left as it was)."""
