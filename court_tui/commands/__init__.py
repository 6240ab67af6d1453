"""The subcommands of `court-tui`, each a thin layer over the core."""
