"""One module per command (or command group); each is a thin layer over the core."""
