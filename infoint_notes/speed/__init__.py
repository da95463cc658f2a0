"""Speed, kept apart from the domain, which never imports it: `store` (the record store
in `.infoint/`), `codec` (its records), `parsing` (many files, in forked helpers),
`loader` (all three composed into an index), `linescan` (the fast body scanner),
`agenda_memo` (the remembered agenda), `cachedir` and `memory`. Deleting `.infoint/`
never changes an answer."""
