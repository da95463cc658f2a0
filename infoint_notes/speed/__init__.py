"""Speed, kept apart from the domain, which never imports it: `store` (the record store
in `.infoint/`), `codec` (its records), `reading` and `parsing` (one file, many files in
forked helpers), `loader` (all three composed into an index), `linescan` (the fast body
scanner), `agenda_memo` (the remembered agenda), `incremental` (the agenda after an
edit, unit by unit), `buckets` (tables stored in pieces read on demand), `background`
(caches written by a child after the answer), `cachedir` and `memory`. Deleting
`.infoint/` never changes an answer."""
