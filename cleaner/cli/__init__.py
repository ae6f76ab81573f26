"""The ``cleaner`` command: argument parsing and the subcommands (run, eval, rules, mine, explain).

The top of the stack: it may import every room, and no room imports it."""

from .main import main

__all__ = ["main"]
