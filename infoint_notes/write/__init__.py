"""Everything that writes into the vault: the front-matter edit, atomic writes,
new notes, `log`, `validate --fix`, templates, drafts, `init`, imports, the git hook."""
