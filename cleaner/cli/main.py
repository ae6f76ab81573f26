"""The ``cleaner`` command line.

Exit codes: 0 every document written; 1 some documents rejected (the rest written, the
rejects listed); 2 usage or configuration error (bad rule file, unreadable INPUT), before
any work is done; 130 interrupted by Ctrl-C (what was done is committed: ``--resume``).
"""

from __future__ import annotations

import argparse
import os
import sys

from .._version import __version__
from ..errors import ConfigError, DocumentError
from ..settings import Config, Favor, HtmlMetadata, SiteKey

EXIT_OK, EXIT_REJECTS, EXIT_CONFIG = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C: what was done is committed; --resume carries on


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
        try:
            with open(args.keep_lines, encoding="utf-8") as fh:
                keep = tuple(x.strip() for x in fh if x.strip() and not x.startswith("#"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read --keep-lines {args.keep_lines}: {exc}") from None
    return MineConfig(min_docs=args.min_docs, min_share=args.min_share, keep=keep,
                      max_hashes=args.max_hashes, max_hashes_per_site=max(1000, args.max_hashes // 4))


def _cmd_mine(args: argparse.Namespace) -> int:
    from ..learn.corpus import mine_corpus, write_pack

    pack, summary, counts = mine_corpus(args.input, _config(args), _mine_config(args),
                                        follow_symlinks=args.follow_symlinks)
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
    )


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cleaner", description="Strip boilerplate from scraped text and HTML; "
                                 "write clean JSONL with provenance.")
    ap.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="clean a directory or file of documents into JSONL")
    run.add_argument("input", metavar="INPUT", help="a directory (walked recursively) or one file: .txt, .html/.htm, .jsonl/.ndjson (each also .gz or .zst), .warc/.warc.gz")
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
    run.add_argument("--max-gz-ratio", type=int, default=Config.max_gz_ratio, metavar="N",
                     help="a .gz input expanding more than N times its size is a bomb (default: 100)")
    run.add_argument("--doc-timeout", type=float, default=Config.doc_timeout, metavar="SECONDS",
                     help="reject a document that takes longer than this (default: 60; 0: no limit)")
    run.add_argument("--rule-timeout", type=float, default=Config.rule_timeout, metavar="SECONDS",
                     help="reject a document on which one regex rule runs longer than this (default: 2)")
    run.add_argument("--resume", action="store_true",
                     help="carry on an interrupted run of the same command from its last commit")
    run.add_argument("--checkpoint-every", type=int, default=1000, metavar="N",
                     help="commit the output to disk every N documents (default: 1000)")
    run.add_argument("--learn", action="store_true",
                     help="first learn each site's boilerplate from INPUT (as 'cleaner mine'), then "
                          "clean with those rules too; they are kept in OUTPUT.learned.yaml")
    run.add_argument("--shard-size", metavar="SIZE", help="split the output into OUTPUT-00000.jsonl, ... "
                     "of at most SIZE bytes each (e.g. 500M, 1GiB)")
    run.add_argument("--engine", choices=("local", "ray"), default="local",
                     help="local processes (default) or a Ray Data pipeline; with ray, OUTPUT is a "
                     "directory of JSONL shards")
    run.add_argument("--ray-address", metavar="ADDR", help="an existing Ray cluster (default: start a local Ray)")
    _add_cleaning_options(run)
    _add_mine_options(run)

    mine = sub.add_parser("mine", help="learn each site's boilerplate from a corpus, as a rule pack")
    mine.add_argument("input", metavar="INPUT", help="a directory (walked recursively) or one file: .txt, .html/.htm, .jsonl/.ndjson (each also .gz or .zst), .warc/.warc.gz")
    mine.add_argument("-o", "--output", required=True, metavar="PACK",
                      help="the learned rule pack to write (YAML; review it, pass it to --rules)")
    mine.add_argument("-q", "--quiet", action="store_true", help="no summary")
    mine.add_argument("--follow-symlinks", action="store_true", help="follow symbolic links")
    _add_cleaning_options(mine)
    _add_mine_options(mine)

    ex = sub.add_parser("explain", help="show each document of a file with every removal marked and why")
    ex.add_argument("file", metavar="FILE", help="a text or HTML file, a JSONL file (each record) or a WARC (each page)")
    ex.add_argument("--url", help="the page URL (enables site-scoped rules)")
    ex.add_argument("--html", action="store_true", help="treat a text FILE as HTML (a page saved without .html)")
    _add_cleaning_options(ex)

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
    _add_cleaning_options(ev)

    rules = sub.add_parser("rules", help="list the rules, or run their examples")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION")
    for name, text in (("list", "list every rule and heuristic"), ("test", "run every rule's examples")):
        sp = rules_sub.add_parser(name, help=text)
        sp.add_argument("--rules", action="append", default=[], metavar="PATH")
        sp.add_argument("--no-default-rules", action="store_true")
    return ap


def _cmd_run(args: argparse.Namespace) -> int:
    from ..run.local import run
    from ..sinks.jsonl import parse_size

    if args.jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    config = _config(args)
    shard_size = parse_size(args.shard_size) if args.shard_size else None
    if args.learn:
        from ..learn.corpus import learned_pack_path, mine_corpus, write_pack

        pack, learned, counts = mine_corpus(args.input, config, _mine_config(args),
                                            follow_symlinks=args.follow_symlinks)
        path = learned_pack_path(args.output) if args.output != "-" else os.path.join(
            os.getcwd(), "cleaner.learned.yaml")
        write_pack(pack, path, counts)
        config = config.with_(rule_paths=config.rule_paths + (path,))
        if not args.quiet:
            print(learned.render() + f"; kept in {path}", file=sys.stderr)
    if args.engine == "ray":
        from ..run.ray import run_ray

        if args.resume:
            raise ConfigError("--resume goes with the local engine")
        summary = run_ray(args.input, args.output, config, address=args.ray_address, shard_size=shard_size,
                          follow_symlinks=args.follow_symlinks)
        if not args.quiet:
            print(summary.render(), file=sys.stderr)
        return EXIT_REJECTS if summary.rejected else EXIT_OK
    if args.ray_address:
        raise ConfigError("--ray-address goes with --engine ray")
    progress = not args.quiet and sys.stderr.isatty()
    summary = run(args.input, args.output, config, jobs=args.jobs, rejects=args.rejects,
                  progress=progress, follow_symlinks=args.follow_symlinks, resume=args.resume,
                  checkpoint_every=args.checkpoint_every, shard_size=shard_size)
    if not args.quiet or summary.interrupted:
        print(summary.render(), file=sys.stderr)
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_REJECTS if summary.rejected else EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    """Every document of FILE (a text or HTML file, each record of a JSONL file, each page of a
    WARC) read as ``run`` reads it, with each removal marked."""
    from dataclasses import replace

    from ..pipeline import Cleaner
    from ..sources.readers import Limits, list_inputs, read_file
    from .explain import render_explanation

    cleaner = Cleaner(_config(args))
    files, _ = list_inputs(args.file)
    limits = Limits(cleaner.config.max_bytes, cleaner.config.max_gz_ratio)
    rejected = shown = 0
    for item in files:
        if args.html and item.format == "text":
            item = replace(item, format="html")
        for doc in read_file(item, limits):
            where = doc.relpath + (f" line {doc.line}" if doc.line is not None else "") + (
                f" ({doc.url})" if doc.format == "warc" and doc.url else "")
            try:
                result = cleaner.clean_raw(doc, url=args.url)
            except DocumentError as exc:
                print(f"cleaner: {where} rejected: {exc.reason}: {exc.detail}", file=sys.stderr)
                rejected += 1
                continue
            if shown or item.format in ("jsonl", "warc") or len(files) > 1:
                print(f"{'' if not shown else chr(10)}== {where}")
            print(render_explanation(result))
            shown += 1
            rejected += bool(result.rejected)
    return EXIT_REJECTS if rejected else EXIT_OK


def _cmd_rules(args: argparse.Namespace) -> int:
    from ..pipeline import Cleaner
    from ..rules.examples import check_rule

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


def _cmd_eval(args: argparse.Namespace) -> int:
    from ..eval.goldsets import load_gold_set
    from ..eval.run import INPUTS, evaluate, select_systems

    if args.jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    inputs = tuple(x.strip() for x in args.inputs.split(",") if x.strip())
    if not inputs or set(inputs) - set(INPUTS):
        raise ConfigError(f"--inputs takes html, text or html,text, not {args.inputs!r}")
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
        return _cmd_rules(args)
    except ConfigError as exc:
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        print("cleaner: interrupted; run the same command with --resume to carry on", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
