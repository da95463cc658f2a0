"""`infoint lsp`: the language server (SPEC 4.19), over the same index as the commands."""
