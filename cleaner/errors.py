"""Errors raised by cleaner.

The hierarchy is small on purpose::

    CleanerError                 base class; never raised itself
    ├── ConfigError              stops the run before any work (exit code 2)
    │   └── RuleError            a rule file is broken: carries path, line and rule id
    ├── DocumentError            one document is rejected; the batch goes on
    └── RunFailed                some shards of a sharded run could not be committed (exit 1,
                                 or 2 when the disk is full); the others stand, and --resume
                                 carries on

A DocumentError carries a short snake_case ``reason`` (``binary_content``,
``empty_after_cleaning``, ``timeout``, ``rule_timeout``), an optional human ``detail``
and, when one rule is to blame (``rule_timeout``), that rule's id as ``rule``.
"""

from __future__ import annotations

import errno

NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # a full disk, a quota, a file size limit


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class ConfigError(CleanerError):
    """A usage or configuration problem: nothing can be cleaned until it is fixed."""


class RuleError(ConfigError):
    """A rule pack that cannot be loaded, with where and what."""

    def __init__(self, path: str, line: int | None, rule_id: str | None, message: str):
        self.path = path
        self.line = line
        self.rule_id = rule_id
        self.message = message
        where = path if line is None else f"{path}:{line}"
        who = f" rule {rule_id}" if rule_id else ""
        super().__init__(f"{where}:{who} {message}".replace(": ", ": ", 1))


class DocumentError(CleanerError):
    """One document cannot be cleaned; it is written to the rejects file with ``reason``."""

    def __init__(self, reason: str, detail: str = "", rule: str | None = None):
        self.reason = reason
        self.detail = detail
        self.rule = rule
        super().__init__(f"{reason}: {detail}" if detail else reason)


class RunFailed(CleanerError):
    """A sharded run that could not commit every shard; ``summary`` counts what was committed,
    ``no_room`` says that a shard failed for want of room (a full disk: the user must act)."""

    def __init__(self, message: str, summary=None, no_room: bool = False):
        self.summary = summary
        self.no_room = no_room
        super().__init__(message)
