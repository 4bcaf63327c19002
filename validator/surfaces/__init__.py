"""Stage 5, the surfaces: the CLI, the HTTP service and its page, batch mode: thin shells over the library."""
