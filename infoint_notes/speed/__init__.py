"""Speed, kept apart from the domain: the parse cache, the parallel parse, the
remembered agenda, memory handling. Deleting `.infoint/` never changes an answer."""
