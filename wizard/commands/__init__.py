"""One module per command: ``add_arguments(parser)`` and ``main(args) -> exit code``."""
