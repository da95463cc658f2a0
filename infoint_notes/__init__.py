"""infoint: a plain-text, git-friendly knowledge base for informational interviews."""

__version__ = "0.1.0"
