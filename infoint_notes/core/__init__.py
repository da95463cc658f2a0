"""The vault and its notes: walk, parse, YAML 1.2, body scan, typed notes, links,
the index, dates and config. Knows nothing of Click, rules or output."""
