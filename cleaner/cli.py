"""The ``cleaner`` command line.

Exit codes: 0 every document written; 1 some documents rejected (the rest written, the
rejects listed); 2 usage or configuration error (bad rule file, unreadable INPUT), before
any work is done.
"""

from __future__ import annotations

import argparse
import os
import sys

from ._version import __version__
from .config import FAVOR, Config
from .errors import ConfigError, DocumentError

EXIT_OK, EXIT_REJECTS, EXIT_CONFIG = 0, 1, 2


def _add_cleaning_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rules and heuristics")
    g.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="an extra rule pack file or directory (repeatable)")
    g.add_argument("--no-default-rules", action="store_true", help="do not load the shipped rule packs")
    g.add_argument("--disable", action="append", default=[], metavar="ID",
                   help="switch a rule or heuristic off by id or name (repeatable, or comma-separated)")
    g.add_argument("--no-heuristics", action="store_true", help="rules only: no line heuristics")
    g.add_argument("--favor", choices=FAVOR, default="balanced",
                   help="precision removes more, recall keeps more (default: balanced)")
    g.add_argument("--include-comments", action="store_true", help="keep user comments of HTML pages")
    r = p.add_argument_group("records")
    r.add_argument("--text-field", default="text", help="JSONL field with plain text (default: text)")
    r.add_argument("--html-field", default="html", help="JSONL field with raw HTML (default: html)")
    r.add_argument("--id-field", default="id", help="JSONL field with the document id (default: id)")
    r.add_argument("--url-field", default="url", help="JSONL field with the page URL (default: url)")


def _config(args: argparse.Namespace) -> Config:
    disabled = frozenset(x.strip() for item in args.disable for x in item.split(",") if x.strip())
    return Config(
        rule_paths=tuple(args.rules), default_rules=not args.no_default_rules, disabled=disabled,
        heuristics=not args.no_heuristics, favor=args.favor, include_comments=args.include_comments,
        text_field=args.text_field, html_field=args.html_field, id_field=args.id_field,
        url_field=args.url_field, source=getattr(args, "source", None), added=getattr(args, "added", None),
        max_bytes=getattr(args, "max_bytes", Config.max_bytes),
    )


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cleaner", description="Strip boilerplate from scraped text and HTML; "
                                 "write clean JSONL with provenance.")
    ap.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="clean a directory or file of documents into JSONL")
    run.add_argument("input", metavar="INPUT", help="a directory (walked recursively) or one file")
    run.add_argument("-o", "--output", required=True, metavar="OUTPUT",
                     help="output JSONL ('-' for stdout; a name ending in .gz or .zst is compressed)")
    run.add_argument("--rejects", metavar="PATH", help="where rejected documents are listed "
                     "(default: OUTPUT.rejects.jsonl; stderr when OUTPUT is '-')")
    run.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                     help="worker processes (default: all cores)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    run.add_argument("--source", help="the 'source' of every record (default: the input's name)")
    run.add_argument("--added", help="the 'added' timestamp (default: SOURCE_DATE_EPOCH, else now)")
    run.add_argument("--max-bytes", type=int, default=Config.max_bytes,
                     help="reject documents larger than this many bytes (default: 64 MiB)")
    run.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links")
    run.add_argument("--shard-size", metavar="SIZE", help="split the output into OUTPUT-00000.jsonl, ... "
                     "of at most SIZE bytes each (e.g. 500M, 1GiB)")
    run.add_argument("--engine", choices=("local", "ray"), default="local",
                     help="local processes (default) or a Ray Data pipeline; with ray, OUTPUT is a "
                     "directory of JSONL shards")
    run.add_argument("--ray-address", metavar="ADDR", help="an existing Ray cluster (default: start a local Ray)")
    _add_cleaning_options(run)

    ex = sub.add_parser("explain", help="show one document with each removal marked and why")
    ex.add_argument("file", metavar="FILE")
    ex.add_argument("--url", help="the page URL (enables site-scoped rules)")
    ex.add_argument("--html", action="store_true", help="treat FILE as HTML whatever its name")
    _add_cleaning_options(ex)

    rules = sub.add_parser("rules", help="list the rules, or run their examples")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION")
    for name, text in (("list", "list every rule and heuristic"), ("test", "run every rule's examples")):
        sp = rules_sub.add_parser(name, help=text)
        sp.add_argument("--rules", action="append", default=[], metavar="PATH")
        sp.add_argument("--no-default-rules", action="store_true")
    return ap


def _cmd_run(args: argparse.Namespace) -> int:
    from .runner import run

    from .sinks import parse_size

    if args.jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    config = _config(args)
    shard_size = parse_size(args.shard_size) if args.shard_size else None
    if args.engine == "ray":
        from .ray_engine import run_ray

        summary = run_ray(args.input, args.output, config, address=args.ray_address, shard_size=shard_size,
                          follow_symlinks=args.follow_symlinks)
        if not args.quiet:
            print(summary.render(), file=sys.stderr)
        return EXIT_REJECTS if summary.rejected else EXIT_OK
    if args.ray_address:
        raise ConfigError("--ray-address goes with --engine ray")
    progress = not args.quiet and sys.stderr.isatty()
    summary = run(args.input, args.output, config, jobs=args.jobs, rejects=args.rejects,
                  progress=progress, follow_symlinks=args.follow_symlinks, shard_size=shard_size)
    if not args.quiet:
        print(summary.render(), file=sys.stderr)
    return EXIT_REJECTS if summary.rejected else EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    from .core import Cleaner
    from .explain import render_explanation
    from .sources import file_format

    cleaner = Cleaner(_config(args))
    try:
        with open(args.file, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ConfigError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    try:
        if args.html or file_format(args.file) == "html":
            result = cleaner.clean_html(data, url=args.url)
        else:
            result = cleaner.clean_text(data, url=args.url)
    except DocumentError as exc:
        print(f"cleaner: {args.file} rejected: {exc.reason}: {exc.detail}", file=sys.stderr)
        return EXIT_REJECTS
    print(render_explanation(result))
    return EXIT_REJECTS if result.rejected else EXIT_OK


def _cmd_rules(args: argparse.Namespace) -> int:
    from .core import Cleaner
    from .ruletest import check_rule

    if args.rules_command not in ("list", "test"):
        raise ConfigError("say 'cleaner rules list' or 'cleaner rules test'")
    cleaner = Cleaner(Config(rule_paths=tuple(args.rules), default_rules=not args.no_default_rules))
    if args.rules_command == "list":
        rows = [(r.id, r.name, r.family, r.action, r.description) for r in cleaner.rules]
        rows += [(h.id, h.name, "heuristic", "drop_line", h.description) for h in cleaner.heuristics]
        wid = max(len(r[0]) for r in rows)
        wname = max(len(r[1]) for r in rows)
        wfam = max(len(r[2]) for r in rows)
        for rid, name, family, action, desc in rows:
            first = desc.split(". ")[0].rstrip(".")
            print(f"{rid:<{wid}}  {name:<{wname}}  {family:<{wfam}}  {action:<13}  {first}")
        print(f"{len(cleaner.rules)} rules, {len(cleaner.heuristics)} heuristics; "
              f"fingerprint {cleaner.fingerprint}", file=sys.stderr)
        return EXIT_OK
    failures, examples = [], 0
    for rule in cleaner.rules:
        examples += len(rule.examples_remove) + len(rule.examples_keep)
        failures += check_rule(rule)
    for f in failures:
        print(f"FAIL {f}")
    print(f"{examples - len(failures)} passed, {len(failures)} failed "
          f"({len(cleaner.rules)} rules)")
    return EXIT_REJECTS if failures else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``cleaner`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_CONFIG
    try:
        if args.command == "run":
            return _cmd_run(args)
        if args.command == "explain":
            return _cmd_explain(args)
        return _cmd_rules(args)
    except ConfigError as exc:
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        print("cleaner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
