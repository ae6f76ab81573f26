"""The ``cleaner`` command line.

Exit codes: 0 the run completed (rejected documents are listed in the rejects file, they are
not failures); 1 the run failed (the output could not be written), or ``--strict`` and some
document was rejected; 2 usage or configuration error (bad rule file, unreadable INPUT), before
any work is done, or no room to write (a full disk or quota: make room, then ``--resume``); 130 interrupted by Ctrl-C or SIGTERM (what was done is committed:
``--resume``); 141 the reader of ``-o -`` went away (a broken pipe).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .._version import __version__
from ..errors import NO_ROOM, ConfigError, DocumentError
from ..settings import Config, Favor, HtmlMetadata, Provenance, SiteKey
from ..sources.readers import READERS

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C: what was done is committed; --resume carries on
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of the output went away
_MAX_KEEP_LINES_BYTES = 16 << 20  # a --keep-lines file larger than this is refused unread


def _add_cleaning_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("rules and heuristics")
    g.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="an extra rule pack file or directory (repeatable)")
    g.add_argument("--no-default-rules", action="store_true", help="do not load the shipped rule packs")
    g.add_argument("--disable", action="append", default=[], metavar="ID",
                   help="switch a rule or heuristic off by id or name (repeatable, or comma-separated)")
    g.add_argument("--no-heuristics", action="store_true", help="rules only: no line heuristics")
    g.add_argument("--favor", choices=[m.value for m in Favor], default=Config.favor.value,
                   help="precision removes more, recall keeps more (default: %(default)s)")
    g.add_argument("--include-comments", action="store_true", help="keep user comments (HTML comment sections, HEU030 comment threads in text)")
    g.add_argument("--html-metadata", choices=[m.value for m in HtmlMetadata], default=Config.html_metadata.value,
                   help="HTML pages: fast reads the metadata a page declares (meta tags, JSON-LD); "
                        "full runs trafilatura's slower metadata search (default: %(default)s)")
    g.add_argument("--site-key", choices=[m.value for m in SiteKey], default=Config.site_key.value,
                   help="what a document's site is, for learned rules: auto (registered domain of "
                        "the URL, else the first directory under INPUT), domain or dir (default: %(default)s)")
    r = p.add_argument_group("records")
    r.add_argument("--text-field", default="text", help="JSONL field with plain text (default: text)")
    r.add_argument("--html-field", default="html", help="JSONL field with raw HTML (default: html)")
    r.add_argument("--id-field", default="id", help="JSONL field with the document id (default: id)")
    r.add_argument("--url-field", default="url", help="JSONL field with the page URL (default: url)")


def _add_mine_options(p: argparse.ArgumentParser) -> None:
    from ..learn.mine import MineConfig

    d = MineConfig()
    g = p.add_argument_group("learning (cleaner mine, run --learn)")
    g.add_argument("--min-docs", type=int, default=d.min_docs,
                   help=f"a line must recur in this many documents of its site (default: {d.min_docs})")
    g.add_argument("--min-share", type=float, default=d.min_share,
                   help=f"... and in this share of the site's documents (default: {d.min_share})")
    g.add_argument("--body-after-learn", action="store_true",
                   help="run the plain body classifier HEU010 on documents learned rules cleaned "
                        "(default: where learned rules marked 10%% or more of the lines, HEU010 is "
                        "told the site's chrome and keeps at least half of the rest)")
    g.add_argument("--keep-lines", metavar="FILE",
                   help="never learn lines containing one of the phrases in FILE (one per line)")
    g.add_argument("--max-hashes", type=int, default=d.max_hashes,
                   help=f"cap on distinct line hashes held in memory (default: {d.max_hashes:,})")


def _mine_config(args: argparse.Namespace):
    from ..learn.mine import MineConfig

    if args.min_docs < 1 or not 0 <= args.min_share <= 1 or args.max_hashes < 1000:
        raise ConfigError("--min-docs must be >= 1, --min-share from 0 to 1, --max-hashes >= 1000")
    keep: tuple[str, ...] = ()
    if args.keep_lines:
        from ..sources.files import read_small_file

        try:
            lines = read_small_file(args.keep_lines, _MAX_KEEP_LINES_BYTES).decode("utf-8").splitlines()
        except (OSError, ValueError) as exc:  # (UnicodeDecodeError is a ValueError)
            raise ConfigError(f"cannot read --keep-lines {args.keep_lines}: {exc}") from None
        keep = tuple(x.strip() for x in lines if x.strip() and not x.startswith("#"))
    return MineConfig(min_docs=args.min_docs, min_share=args.min_share, keep=keep,
                      max_hashes=args.max_hashes, max_hashes_per_site=max(1000, args.max_hashes // 4))


def _cmd_mine(args: argparse.Namespace) -> int:
    from ..learn.corpus import mine_corpus, write_pack
    from ..run.worker import time_limit

    pack, summary, counts = mine_corpus(args.input, _config(args), _mine_config(args),
                                        follow_symlinks=args.follow_symlinks, time_limit=time_limit)
    write_pack(pack, args.output, counts)
    if not args.quiet:
        print(summary.render() + f"; written to {args.output}", file=sys.stderr)
    return EXIT_OK


def _config(args: argparse.Namespace) -> Config:
    disabled = frozenset(x.strip() for item in args.disable for x in item.split(",") if x.strip())
    return Config(
        rule_paths=tuple(args.rules), default_rules=not args.no_default_rules, disabled=disabled,
        heuristics=not args.no_heuristics, favor=args.favor, include_comments=args.include_comments,
        text_field=args.text_field, html_field=args.html_field, id_field=args.id_field,
        url_field=args.url_field, source=getattr(args, "source", None), added=getattr(args, "added", None),
        max_bytes=getattr(args, "max_bytes", Config.max_bytes),
        max_gz_ratio=getattr(args, "max_gz_ratio", Config.max_gz_ratio),
        doc_timeout=getattr(args, "doc_timeout", Config.doc_timeout),
        rule_timeout=getattr(args, "rule_timeout", Config.rule_timeout),
        site_key=getattr(args, "site_key", Config.site_key),
        html_metadata=getattr(args, "html_metadata", Config.html_metadata),
        learned_body_share=2.0 if getattr(args, "body_after_learn", False) else Config.learned_body_share,
        tag_only=bool(getattr(args, "attributes", None)),
        provenance=getattr(args, "provenance", Config.provenance),
        input_format=getattr(args, "input_format", None),
    )


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cleaner", description="Strip boilerplate from scraped text and HTML; "
                                 "write clean JSONL with provenance.")
    ap.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_add_run, _add_mine, _add_explain, _add_eval, _add_report, _add_rules):
        add(sub)
    return ap


def _add_run(sub: Any) -> None:
    """``cleaner run``: clean INPUT into OUTPUT."""
    run = sub.add_parser("run", help="clean a directory or file of documents into JSONL")
    _add_run_io(run)
    _add_run_limits(run)
    _add_run_execution(run)
    _add_cleaning_options(run)
    _add_mine_options(run)


def _add_run_io(run: argparse.ArgumentParser) -> None:
    """The input and output options of ``cleaner run``."""
    group = run.add_argument_group("input and output")
    group.add_argument("input", metavar="INPUT", help="a directory (walked recursively) or one file: .txt, .html/.htm, .jsonl/.ndjson (each also .gz or .zst), .warc/.arc (also .gz or .zst); '-' reads standard input")
    group.add_argument("-o", "--output", required=True, metavar="OUTPUT",
                       help="output by its name: .jsonl (.jsonl.gz, .jsonl.zst compressed), .parquet "
                            "(pyarrow), or '-' for JSONL on stdout")
    group.add_argument("--format", choices=tuple(READERS), dest="input_format",
                       help="read INPUT (every file, or stdin) as this format, whatever the names say "
                            "(default: from the names; stdin: from its first bytes)")
    group.add_argument("--rejects", metavar="PATH", help="where rejected documents are listed "
                       "(default: OUTPUT.rejects.jsonl; stderr when OUTPUT is '-')")
    group.add_argument("--attributes", metavar="DIR",
                       help="tag only (Dolma): write the documents with their text untouched, and in DIR "
                            "an attribute file per output file with the spans each rule and heuristic "
                            "would remove")
    group.add_argument("--stats", metavar="PATH",
                       help="write the run's figures as JSON (documents, bytes, per rule and heuristic the "
                            "lines and characters removed, rejects by reason); 'cleaner report' draws them")
    group.add_argument("--provenance", choices=[m.value for m in Provenance], default=Config.provenance.value,
                       help="full: each removal with its excerpt; compact: rule, reason, line and span "
                            "only (about half the output bytes; default: %(default)s)")
    group.add_argument("--source", help="the 'source' of every record (default: the input's name)")
    group.add_argument("--added", help="the 'added' timestamp (default: SOURCE_DATE_EPOCH, else now)")
    group.add_argument("--shard-size", metavar="SIZE", help="split the output into OUTPUT-00000.jsonl, ... "
                       "of at most SIZE bytes each (e.g. 500M, 1GiB)")


def _add_run_limits(run: argparse.ArgumentParser) -> None:
    """The limits on bad input options of ``cleaner run``."""
    group = run.add_argument_group("limits on bad input")
    group.add_argument("--max-bytes", type=int, default=Config.max_bytes,
                       help="reject documents larger than this many bytes (default: 64 MiB)")
    group.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links")
    group.add_argument("--max-gz-ratio", type=int, default=Config.max_gz_ratio, metavar="N",
                       help="a .gz input expanding more than N times its size is a bomb (default: 100)")
    group.add_argument("--doc-timeout", type=float, default=Config.doc_timeout, metavar="SECONDS",
                       help="reject a document that takes longer than this (default: 60; 0: no limit)")
    group.add_argument("--rule-timeout", type=float, default=Config.rule_timeout, metavar="SECONDS",
                       help="reject a document on which one regex rule runs longer than this (default: 2)")
    group.add_argument("--strict", action="store_true",
                       help="exit 1 when any document was rejected (default: 0, the rejects are listed)")


def _add_run_execution(run: argparse.ArgumentParser) -> None:
    """The how the run is executed options of ``cleaner run``."""
    group = run.add_argument_group("how the run is executed")
    group.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                       help="worker processes (default: all cores)")
    group.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    group.add_argument("--resume", action="store_true",
                       help="carry on an interrupted run of the same command from its last commit")
    group.add_argument("--shard-bytes", metavar="SIZE",
                       help="a sharded OUTPUT (a directory or a URL): a plain JSONL file larger than SIZE is "
                            "cut at line boundaries into shards of about SIZE, and runs of files under 1 MiB "
                            "are grouped into one shard (default: 256MiB; 0: one shard per input file)")
    group.add_argument("--checkpoint-every", type=int, default=1000, metavar="N",
                       help="commit the output to disk every N documents (default: 1000)")
    group.add_argument("--learn", action="store_true",
                       help="first learn each site's boilerplate from INPUT (as 'cleaner mine'), then "
                            "clean with those rules too; they are kept in OUTPUT.learned.yaml")
    group.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="local processes (default) or Ray tasks; with ray, OUTPUT is a directory or "
                       "URL prefix of parts, part-00000.jsonl.zst, ... one per input file")
    group.add_argument("--ray-address", metavar="ADDR", help="an existing Ray cluster (default: start a local Ray)")


def _add_mine(sub: Any) -> None:
    """``cleaner mine``: learn each site's boilerplate as a rule pack."""
    mine = sub.add_parser("mine", help="learn each site's boilerplate from a corpus, as a rule pack")
    mine.add_argument("input", metavar="INPUT", help="a directory (walked recursively) or one file: .txt, .html/.htm, .jsonl/.ndjson (each also .gz or .zst), .warc/.arc (also .gz or .zst)")
    mine.add_argument("-o", "--output", required=True, metavar="PACK",
                      help="the learned rule pack to write (YAML; review it, pass it to --rules)")
    mine.add_argument("-q", "--quiet", action="store_true", help="no summary")
    mine.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links")
    mine.add_argument("--doc-timeout", type=float, default=Config.doc_timeout, metavar="SECONDS",
                      help="pass over a document that takes longer than this to read (default: 60; 0: no limit)")
    _add_cleaning_options(mine)
    _add_mine_options(mine)


def _add_explain(sub: Any) -> None:
    """``cleaner explain``: show every removal in a file and why."""
    ex = sub.add_parser("explain", help="show each document of a file with every removal marked and why")
    ex.add_argument("file", metavar="FILE", help="a text or HTML file, a JSONL file (each record) or a WARC (each page)")
    ex.add_argument("--url", help="the page URL (enables site-scoped rules)")
    ex.add_argument("--html", action="store_true", help="treat a text FILE as HTML (a page saved without .html)")
    ex.add_argument("--format", choices=tuple(READERS), dest="input_format",
                    help="read FILE as this format, whatever its name says (default: from the name)")
    ex.add_argument("--line", type=int, metavar="N",
                    help="JSONL: the record on line N; WARC: the N-th HTML page (default: the first)")
    ex.add_argument("--id", metavar="ID", dest="record_id",
                    help="JSONL: the record with this id; WARC: the page with this WARC-Record-ID")
    ex.add_argument("--replay", metavar="INPUT",
                    help="FILE is an output of 'cleaner run' over INPUT: read the picked record's input "
                         "again, make its source text again (HTML: with the recorded extractor settings) "
                         "and replay the record's removals; exit 1 when the record is not reproduced")
    _add_cleaning_options(ex)


def _add_eval(sub: Any) -> None:
    """``cleaner eval``: score cleaner and the anchors on gold sets."""
    ev = sub.add_parser("eval", help="score cleaner and reference systems on gold sets, side by side")
    ev.add_argument("gold", nargs="+", metavar="GOLD_DIR",
                    help="a set with ground-truth.jsonl, html/ and text/; or .txt files with labels.jsonl")
    ev.add_argument("--limit", type=int, metavar="N", help="score the first N pages of each set")
    ev.add_argument("--by-id", action="store_true", help="with --limit: the first N pages by id, not file order")
    ev.add_argument("--inputs", default="html,text", help="html, text or both (default: html,text)")
    ev.add_argument("--systems", help="comma-separated systems (default: cleaner and every anchor)")
    ev.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default: 1)")
    ev.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    ev.add_argument("--with-urls", action="store_true", help="give cleaner each page's URL (site-scoped rules)")
    ev.add_argument("--breakdown", action="store_true",
                    help="per page type, dev and held-out split apart: text dumps get line labels derived "
                         "from the gold (content kept / junk removed / junk F1 / token F1, also per language); "
                         "HTML pages get token F1 beside the HTML anchors (--inputs picks either or both)")
    ev.add_argument("--split", choices=("dev", "heldout", "all", "both"), default="both",
                    help="with --breakdown: which half of the split by site to print (default: both)")
    ev.add_argument("--regime", choices=("dump", "crop", "gold"), default="dump",
                    help="with --breakdown on text: clean each page's whole scraped dump (default), the dump "
                         "cropped to 3 lines around its content (text a scraper already trimmed), or its gold "
                         "text alone (clean text: every line is content)")
    _add_cleaning_options(ev)


def _add_report(sub: Any) -> None:
    """``cleaner report``: draw a stats file as HTML."""
    rep = sub.add_parser("report", help="draw a 'run --stats' file as a static HTML page")
    rep.add_argument("stats", metavar="STATS", help="the JSON written by cleaner run --stats")
    rep.add_argument("-o", "--output", required=True, metavar="HTML", help="the page to write")


def _add_rules(sub: Any) -> None:
    """``cleaner rules list|test``."""
    rules = sub.add_parser("rules", help="list the rules, or run their examples")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION")
    for name, text in (("list", "list every rule and heuristic"), ("test", "run every rule's and heuristic's examples")):
        sp = rules_sub.add_parser(name, help=text)
        sp.add_argument("--rules", action="append", default=[], metavar="PATH")
        sp.add_argument("--no-default-rules", action="store_true")

def _cmd_run(args: argparse.Namespace) -> int:
    from ..sinks.outputs import output_kind, pyarrow_modules

    if args.jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    sharded = _is_sharded(args)
    kind = output_kind(args.output) if not sharded else "jsonl"
    if kind == "parquet":
        pyarrow_modules()  # before any work
        if args.shard_size or args.attributes:
            raise ConfigError("a .parquet OUTPUT is one file: no --shard-size or --attributes")
    if args.attributes and args.output == "-":
        raise ConfigError("--attributes needs an output file (Dolma's files pair by name)")
    if sharded and args.shard_size:
        raise ConfigError("a sharded OUTPUT (a directory, a URL or --engine ray) has one part per shard "
                          "(--shard-bytes sets their size): no --shard-size")
    if args.ray_address and args.engine != "ray":
        raise ConfigError("--ray-address goes with --engine ray")
    if args.shard_bytes is not None and not sharded:
        raise ConfigError("--shard-bytes goes with a sharded OUTPUT (a directory, a URL or --engine ray); "
                          "--shard-size splits a single OUTPUT file")
    if args.input != "-":
        return _run_input(args, kind, sharded)
    if args.resume:
        raise ConfigError("--resume needs INPUT files: standard input cannot be read again")
    from ..sources.stdin import spool_stdin

    directory, path = spool_stdin(args.input_format)
    try:
        args.input, args.source = path, args.source or "stdin"
        return _run_input(args, kind, sharded)
    finally:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)


def _is_sharded(args: argparse.Namespace) -> bool:
    """A run whose OUTPUT is a directory or URL prefix of parts, one per input file: every Ray
    run, and a local run to a URL or a name ending in ``/`` (an existing directory named
    without it is refused, as it always was: a file was meant)."""
    from ..sources.remote import is_url

    return args.engine == "ray" or is_url(args.output) or args.output.endswith("/")


def _run_input(args: argparse.Namespace, kind: str, sharded: bool) -> int:
    from ..run.local import default_rejects_path, run
    from ..sinks.jsonl import parse_size
    from ..sinks.paths import check_outputs, check_url_outputs, is_stream
    from ..sources.remote import is_url

    config = _config(args)
    shard_size = parse_size(args.shard_size) if args.shard_size else None
    if is_url(args.input):
        if args.learn:
            raise ConfigError("--learn reads INPUT twice: give it a local directory, not a URL")
        check_url_outputs(args.input, {"-o": args.output, "--rejects": args.rejects, "--attributes": args.attributes})
    elif sharded:
        local = {k: v for k, v in (("-o", args.output), ("--rejects", args.rejects), ("--attributes", args.attributes))
                 if v is not None and not is_url(v)}
        check_outputs(args.input, local, directories=tuple(local))
    else:
        check_outputs(args.input, {"-o": args.output, "--rejects": args.rejects or default_rejects_path(args.output)})
    if args.learn:
        from ..learn.corpus import learned_pack_path, mine_corpus, write_pack
        from ..run.worker import time_limit

        pack, learned, counts = mine_corpus(args.input, config, _mine_config(args),
                                            follow_symlinks=args.follow_symlinks, time_limit=time_limit)
        path = learned_pack_path(args.output) if not is_stream(args.output) and not sharded else os.path.join(
            os.getcwd(), "cleaner.learned.yaml")
        write_pack(pack, path, counts)
        config = config.with_(rule_paths=config.rule_paths + (path,))
        if not args.quiet:
            print(learned.render() + f"; kept in {path}", file=sys.stderr)
    if sharded:
        return _run_sharded(args, config)
    if is_url(args.input):
        raise ConfigError("a URL INPUT goes with a sharded OUTPUT: a directory (-o out/) or a URL prefix")
    from ..run.shards import fetch_rule_packs

    config = fetch_rule_packs(config)
    progress = not args.quiet and sys.stderr.isatty()
    output, rejects = args.output, args.rejects
    if kind == "parquet":
        from ..sinks.outputs import staging_path

        output = staging_path(args.output)
        rejects = rejects or args.output[: -len(".parquet")] + ".rejects.jsonl"
    summary = run(args.input, output, config, jobs=args.jobs, rejects=rejects,
                  progress=progress, follow_symlinks=args.follow_symlinks, resume=args.resume,
                  checkpoint_every=args.checkpoint_every, shard_size=shard_size)
    if not args.quiet or summary.interrupted:
        print(summary.render(), file=sys.stderr)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    if kind == "parquet":
        from ..sinks.outputs import write_parquet

        write_parquet(output, args.output)
        os.unlink(output)
    _write_stats(args, config, summary)
    if args.attributes:
        from ..sinks.attributes import output_files, write_attributes

        written = write_attributes(output_files(args.output, bool(shard_size)), args.attributes, config.max_bytes)
        if not args.quiet:
            print(f"cleaner: tag only: text untouched; attributes in {', '.join(written)}", file=sys.stderr)
    return _run_exit(summary, args.strict)


def _run_sharded(args: argparse.Namespace, config: Config) -> int:
    """A run into parts, one per shard of the input, by local processes or Ray tasks (run.shards)."""
    from ..errors import RunFailed
    from ..run.plan import SHARD_BYTES
    from ..run.shards import local_executor, run_sharded
    from ..sinks.jsonl import parse_size

    if args.engine == "ray":
        from ..run.ray import ray_executor

        execute = ray_executor(args.ray_address, quiet=args.quiet)
    else:
        execute = local_executor(args.jobs, progress=not args.quiet and sys.stderr.isatty())
    shard_bytes = SHARD_BYTES if args.shard_bytes is None else (
        0 if args.shard_bytes.strip() == "0" else parse_size(args.shard_bytes))
    try:
        summary = run_sharded(args.input, args.output, config, execute, rejects=args.rejects,
                              attributes=args.attributes, resume=args.resume, follow_symlinks=args.follow_symlinks,
                              shard_bytes=shard_bytes)
    except RunFailed as exc:
        print(exc.summary.render(), file=sys.stderr)
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_CONFIG if exc.no_room else EXIT_FAILED
    if not args.quiet or summary.interrupted:
        print(summary.render(), file=sys.stderr)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    _write_stats(args, config, summary)
    return _run_exit(summary, args.strict)


def _write_stats(args: argparse.Namespace, config: Config, summary) -> None:
    """``--stats PATH``: the run's figures as JSON (URLs without their credentials)."""
    if not args.stats:
        return
    from ..run.shards import fetch_rule_packs
    from ..run.worker import cleaner_for
    from ..sinks.stats import stats_dict, write_stats
    from ..sources.remote import redact

    # the run's own Cleaner (its rules are not loaded again)
    write_stats(args.stats, stats_dict(summary, cleaner_for(fetch_rule_packs(config)), input_path=redact(args.input),
                                       output=redact(args.output)))


def _run_exit(summary, strict: bool) -> int:
    """0 for a completed run, rejects or not; 1 for rejects only under ``--strict``."""
    if strict and summary.rejected:
        print(f"cleaner: --strict: {summary.rejected} documents rejected", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    """Every document of FILE (a text or HTML file, each record of a JSONL file, each page of a
    WARC) read as ``run`` reads it, with each removal marked."""

    from ..pipeline import Cleaner
    from ..sinks.records import id_text
    from ..sources.readers import Limits, list_inputs, parse_record, read_file
    from .explain import render_explanation, score_notes

    if args.replay:
        return _replay_output_record(args)
    cleaner = Cleaner(_config(args))
    cfg = cleaner.config
    listed, _ = list_inputs(args.file, fmt="html" if args.html else cfg.input_format)
    if len(listed) != 1:
        raise ConfigError(f"{args.file}: not a file of a type cleaner reads (by its name); "
                          "say which with --format text, html, jsonl or warc")
    item = listed[0]
    records = item.format in ("jsonl", "warc")
    if not records and (args.line is not None or args.record_id is not None):
        raise ConfigError("--line and --id pick a record of a JSONL or WARC file")
    for number, doc in enumerate(read_file(item, Limits(cfg.max_bytes, cfg.max_gz_ratio)), start=1):
        record = None
        if item.format == "jsonl":
            if args.line is not None and doc.line != args.line:
                continue
            if args.record_id is not None:
                try:
                    record = parse_record(doc.data) if doc.data is not None else None
                except DocumentError:
                    continue
                if record is None or cfg.id_field not in record or id_text(record[cfg.id_field]) != args.record_id:
                    continue
        elif item.format == "warc" and ((args.line is not None and number != args.line)
                                        or (args.record_id is not None and doc.doc_id != args.record_id)):
            continue
        try:
            if item.format == "jsonl" and doc.data is not None:
                record = record if record is not None else parse_record(doc.data)
                if args.url and not record.get(cfg.url_field):
                    record[cfg.url_field] = args.url
            result = cleaner.clean_raw(doc, record, url=args.url)
        except DocumentError as exc:
            where = f" line {doc.line}" if doc.line is not None else ""
            print(f"cleaner: {args.file}{where} rejected: {exc.reason}: {exc.detail}", file=sys.stderr)
            return EXIT_FAILED
        print(render_explanation(result, notes=score_notes(result, cfg.favor)))
        return EXIT_FAILED if result.rejected else EXIT_OK
    what = "record" if item.format == "jsonl" else "HTML page"
    if args.line is not None:
        raise ConfigError(f"{args.file}: no {what} " + ("on line" if item.format == "jsonl" else "number")
                          + f" {args.line}")
    if args.record_id is not None:
        raise ConfigError(f"{args.file}: no {what} with id {args.record_id!r}")
    raise ConfigError(f"{args.file}: no {what} in the file")


def _replay_output_record(args: argparse.Namespace) -> int:
    """``explain OUTPUT --replay INPUT``: one output record replayed from its input, with every check."""
    from ..run.replay import pick_output_record, replay_record
    from .explain import render_explanation

    config = _config(args)
    record = pick_output_record(args.file, config, line=args.line, ident=args.record_id)
    replayed = replay_record(record, args.replay, config)
    print(render_explanation(replayed.result))
    for problem in replayed.problems:
        print(f"cleaner: not reproduced: {problem}", file=sys.stderr)
    if not replayed.problems:
        print(f"replayed: record {record.get('id')} is its input's source text less its removals")
    return EXIT_FAILED if replayed.problems else EXIT_OK


def _cmd_rules(args: argparse.Namespace) -> int:
    from ..pipeline import Cleaner
    from ..heuristics.registry import check_heuristic
    from ..rules.examples import check_rule

    if args.rules_command not in ("list", "test"):
        raise ConfigError("say 'cleaner rules list' or 'cleaner rules test'")
    cleaner = Cleaner(Config(rule_paths=tuple(args.rules), default_rules=not args.no_default_rules))
    if args.rules_command == "list":
        # engine: where a rule's pattern runs (core: the compiled regex crate; python: Python's
        # regex module with the timeout; table: whole-line literals, one lookup)
        rows = [(r.id, r.name, r.family, r.action, cleaner.ruleset.engine_of(r), r.description)
                for r in cleaner.rules]
        rows += [(h.id, h.name, "heuristic", "drop_line", "-", h.description) for h in cleaner.heuristics]
        wid = max(len(r[0]) for r in rows)
        wname = max(len(r[1]) for r in rows)
        wfam = max(len(r[2]) for r in rows)
        for rid, name, family, action, where, desc in rows:
            print(f"{rid:<{wid}}  {name:<{wname}}  {family:<{wfam}}  {action:<13}  {where:<6}  "
                  f"{' '.join(desc.split())}")
        print(f"{len(cleaner.rules)} rules, {len(cleaner.heuristics)} heuristics; "
              f"fingerprint {cleaner.fingerprint}", file=sys.stderr)
        return EXIT_OK
    failures, examples = [], 0
    for rule in cleaner.rules:
        examples += len(rule.examples_remove) + len(rule.examples_keep)
        failures += check_rule(rule)
    for h in cleaner.heuristics:
        examples += len(h.examples)
        failures += check_heuristic(h)
    for f in failures:
        print(f"FAIL {f}")
    print(f"{examples - len(failures)} passed, {len(failures)} failed "
          f"({len(cleaner.rules)} rules, {len(cleaner.heuristics)} heuristics)")
    return EXIT_FAILED if failures else EXIT_OK


def _cmd_eval(args: argparse.Namespace) -> int:
    from ..eval.goldsets import load_gold_set
    from ..eval.run import INPUTS, evaluate, select_systems

    if args.jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    inputs = tuple(x.strip() for x in args.inputs.split(",") if x.strip())
    if not inputs or set(inputs) - set(INPUTS):
        raise ConfigError(f"--inputs takes html, text or html,text, not {args.inputs!r}")
    if args.breakdown:
        return _cmd_breakdown(args)
    systems = select_systems(args.systems)
    # a shell glob over a folder of sets (``bench/*``) also names its README and licence files
    paths = [path for path in args.gold if os.path.isdir(path)] or args.gold
    for path in args.gold:
        if path not in paths:
            print(f"skipped {path}: not a set directory", file=sys.stderr)
    golds = [load_gold_set(path, args.limit, args.by_id) for path in paths]
    result = evaluate(golds, config=_config(args), systems=systems, inputs=inputs, jobs=args.jobs,
                      with_urls=args.with_urls, report=lambda line: print(line, flush=True))
    for name, why in result.skipped.items():
        print(f"skipped {name}: {why}")
    for key, errors in result.errors.items():
        print(f"{key}: {len(errors)} pages failed, first: {errors[0]}", file=sys.stderr)
    if args.json:
        import json

        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result.as_dict(), fh, indent=1)
    return EXIT_OK


def _cmd_breakdown(args: argparse.Namespace) -> int:
    from ..eval import breakdown as text_room
    from ..eval import htmlbreakdown as html_room
    from ..eval.run import select_systems

    inputs = tuple(x.strip() for x in args.inputs.split(",") if x.strip())
    chosen = select_systems(args.systems) if args.systems else None
    text_systems = [s for s in chosen or text_room.SYSTEMS if s in text_room.SYSTEMS]
    html_systems = [s for s in chosen or html_room.SYSTEMS if s in html_room.SYSTEMS]
    if chosen and not ("text" in inputs and text_systems or "html" in inputs and html_systems):
        raise ConfigError(f"--breakdown scores {', '.join(text_room.SYSTEMS)} on text dumps and "
                          f"{', '.join(html_room.SYSTEMS)} on HTML, not {args.systems!r}")
    paths = [path for path in args.gold if os.path.isfile(os.path.join(path, "ground-truth.jsonl"))]
    for path in args.gold:
        if path not in paths:
            print(f"skipped {path}: no ground-truth.jsonl", file=sys.stderr)
    if not paths:
        raise ConfigError("--breakdown needs bench sets (directories with ground-truth.jsonl and text/ or html/)")
    out: dict = {}
    if "html" in inputs and html_systems:
        result = html_room.html_breakdown(paths, config=_config(args), systems=html_systems, jobs=args.jobs,
                                          limit=args.limit, with_urls=args.with_urls)
        splits = html_room.SPLITS if args.split == "both" else (args.split,)
        print("\n".join(html_room.format_html_breakdown(result, splits)), flush=True)
        out.update(result.as_dict())
    if "text" in inputs and text_systems:
        result = text_room.breakdown(paths, config=_config(args), systems=text_systems, jobs=args.jobs,
                                     limit=args.limit, regime=args.regime)
        splits = text_room.SPLITS if args.split == "both" else (args.split,)
        print("\n".join(text_room.format_breakdown(result, splits)))
        out.update(result.as_dict())
    if args.json:
        import json

        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=1)
    return EXIT_OK


def _failure_line(exc: OSError, command: str) -> str:
    """One line on a run that failed to write: where, why, and (disk full) how to carry on."""
    where = f" {exc.filename}:" if exc.filename else ""
    line = f"the run failed:{where} {exc.strerror or exc}"
    if exc.errno in NO_ROOM and command == "run":
        line += ("; make room on the file system that holds it, then run the same command with --resume "
                 "to carry on from the last commit")
    return line


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
        if args.command == "eval":
            return _cmd_eval(args)
        if args.command == "mine":
            return _cmd_mine(args)
        if args.command == "report":
            from ..sinks.report import write_report

            write_report(args.stats, args.output)
            return EXIT_OK
        return _cmd_rules(args)
    except ConfigError as exc:
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        print("cleaner: interrupted; run the same command with --resume to carry on", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of -o - went away (| head): exit as Unix tools do
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        except OSError:
            pass
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # the run itself failed: output or rejects could not be written
        print(f"cleaner: error: {_failure_line(exc, args.command)}", file=sys.stderr)
        return EXIT_CONFIG if exc.errno in NO_ROOM else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
