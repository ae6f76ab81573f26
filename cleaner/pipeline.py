"""The reusable :class:`Cleaner`: rules compiled once, documents cleaned many times.

>>> from cleaner import Cleaner
>>> result = Cleaner().clean_text("A real sentence of the article, kept as it is.\\nSource link\\n")
>>> result.text
'A real sentence of the article, kept as it is.\\n'
>>> [r.rule for r in result.removals]
['FOOT001']
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from ._version import __version__
from .apply import apply_marks
from .compose import compose_removals
from .document import CleanResult, Document
from .errors import ConfigError, DocumentError
from .heuristics import HEURISTICS, Context, Heuristic
from .heuristics.sitebody import site_body_chosen
from .heuristics.textcore import text_core
from .lines.views import line_views
from .rules.counts import counts_path, load_counts, share_bias
from .rules.engine import RuleSet
from .rules.learned import keep_learned_chrome, keep_learned_edges
from .rules.pack import Rule, fingerprint, load_rules
from .rules.shipped import shipped_packs_dir
from .settings import Config
from .sources.decode import charset_of, decode_bytes, finish_text
from .sources.jsonline import may_hold_controls
from .sources.readers import RawDocument, parse_record
from .sources.sites import place_of

# Cleaning passes at most (each pass that changes anything removes at least one span).
_MAX_PASSES = 8


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while (as it was before, after).

    Building a Cleaner allocates a hundred-odd objects per rule and frees few of them, so the
    collector's passes find nothing and rescan everything: with 5,000 rules they cost as much as
    the building itself (0.8 of 1.8 CPU s). Nothing made there needs the collector to be freed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_RULES_FOUND = object()  # the key of rules_found's answer in a document's memo


def rules_found(doc: Document, memo: dict | None) -> bool:
    """Whether a rule marked a line of ``doc`` in its first cleaning pass (called right after the
    rules, before the heuristics); kept in ``memo`` so that the later passes, which see the
    text without those lines, tell the heuristics the same (:class:`cleaner.heuristics.Context`)."""
    if memo is not None and _RULES_FOUND in memo:
        return memo[_RULES_FOUND]
    found = bool(doc.marks)
    if memo is not None:
        memo[_RULES_FOUND] = found
    return found


class Cleaner:
    """Cleans documents with the shipped rule packs, user packs and the line heuristics."""

    def __init__(self, config: Config | None = None, **options: Any):
        with _cycle_collector_paused():
            self._build(config, options)

    def _build(self, config: Config | None, options: dict[str, Any]) -> None:
        """Load the rule packs and compile the rules, heuristics and the text core."""
        config = config or Config()
        if options:
            config = config.with_(**options)
        self.config = config
        paths = ([shipped_packs_dir()] if config.default_rules else []) + list(config.rule_paths)
        if not paths:
            raise ConfigError("no rule packs: default rules are off and no --rules given")
        all_rules = load_rules(paths)
        known = {key for r in all_rules for key in (r.id, r.name, *r.aliases)}
        known |= {key for h in HEURISTICS for key in (h.id, h.name)}
        unknown = sorted(set(config.disabled) - known)
        if unknown:
            raise ConfigError(f"--disable names no rule or heuristic: {', '.join(unknown)}")
        off = set(config.disabled)
        self.rules: list[Rule] = [r for r in all_rules
                                  if not ({r.id, r.name, *r.aliases} & off)]
        self.heuristics: list[Heuristic] = (
            [h for h in HEURISTICS if not ({h.id, h.name} & off)]
            if config.heuristics else []
        )
        self.ruleset = RuleSet(self.rules, config.rule_timeout)
        # plain text cleaned whole in the compiled core (None: the Python path cleans everything)
        self._text_core = text_core(self.ruleset, self.heuristics, config.favor, config.include_comments)
        self._learned_ids = frozenset(r.id for r in self.rules if r.learned)
        self._line_counts, counts_digest = load_counts(
            sorted({counts_path(r.path) for r in self.rules if r.learned}))
        self.fingerprint = fingerprint(
            [r.canonical for r in self.rules] + [h.id for h in self.heuristics]
            + [f"favor={config.favor}", f"comments={config.include_comments}", __version__]
            + ([f"learned_body_share={config.learned_body_share}"] if self._learned_ids else [])
            + ([f"line_counts={counts_digest}"] if self._line_counts else [])
        )

    def _learned_cleaned(self, doc: Document, views: list, line_bias=None) -> bool:
        """True when learned site rules marked ``config.learned_body_share`` of the document's lines,
        or that share of its lines is on other pages of its site (``line_bias`` < 0, from the counts).

        The body classifier then runs knowing the site's chrome (:mod:`cleaner.heuristics.sitebody`).
        Never on the main text extracted from HTML: extraction has taken the chrome out already,
        so what recurs there is the site's own content (code lines of its documentation, the
        labels of its product specs), and the classifier would take the body with it.
        """
        if not self._learned_ids or not views or doc.format == "html":
            return False
        hits = sum(1 for m in doc.marks if m.rule in self._learned_ids)
        if hits > 0 and hits >= self.config.learned_body_share * len(views):
            return True
        if line_bias is None:
            return False
        shared = sum(1 for v in views if line_bias(v.text) < 0)
        return shared > 0 and shared >= self.config.learned_body_share * len(views)

    # -- one document -------------------------------------------------------------------

    def clean_document(self, doc: Document) -> CleanResult:
        """Tag ``doc`` with every rule and heuristic and apply the marks, until nothing changes.

        Rules and heuristics look at context (position, neighbours, repeats), so removing
        junk can expose more; the clean text is cleaned again until a pass removes nothing,
        and the removal logs are composed so that they still replay the source to the output.
        A pass that removed nothing is not repeated: clean documents cost one pass.
        """
        if (self._text_core is not None and doc.format == "text" and not self._learned_ids
                and not self._line_counts):
            result = self._text_core.clean(doc)
            if result is not None:
                return result
        return self._clean_passes(doc)

    def _clean_passes(self, doc: Document) -> CleanResult:
        """:meth:`clean_document` in Python: the reference the core is held to, and the path of
        what the core does not take (:mod:`cleaner.heuristics.textcore`)."""
        memo: dict = {}
        result = self._clean_once(doc, memo)
        for _ in range(_MAX_PASSES - 1):
            if result.rejected or not result.removals:
                break
            again = self._clean_once(Document(result.text, doc.format, url=doc.url, domain=doc.domain,
                                              site=doc.site, metadata=result.metadata,
                                              link_keys=doc.link_keys, discussion=doc.discussion), memo)
            if not again.removals and not again.rejected:
                break
            if again.rejected == "dropped_by_rule":
                return CleanResult("", doc.text, [], again.metadata, again.rejected, again.detail)
            removals = compose_removals(doc.text, result.removals, again.removals)
            result = CleanResult(again.text, doc.text, removals, again.metadata, again.rejected, again.detail)
        return result

    def _clean_once(self, doc: Document, memo: dict | None = None) -> CleanResult:
        """One pass: tag ``doc`` with every rule and heuristic, then apply the marks."""
        views = line_views(doc, memo)
        self.ruleset.tag(doc, views, memo)
        if self._learned_ids and doc.format == "html":
            keep_learned_edges(doc, views, self._learned_ids)
        elif self._learned_ids:
            keep_learned_chrome(doc, views, self._learned_ids)
        if doc.drop_reason:
            return CleanResult("", doc.text, [], dict(doc.metadata), "dropped_by_rule",
                               f"rule {doc.drop_reason}")
        line_bias = share_bias(self._line_counts, doc.site)
        ctx = Context(favor=self.config.favor, include_comments=self.config.include_comments, memo=memo,
                      line_bias=line_bias,
                      site_body=site_body_chosen(memo) or self._learned_cleaned(doc, views, line_bias),
                      rules_found=rules_found(doc, memo))
        for heuristic in self.heuristics:
            if doc.format in heuristic.formats:
                heuristic.run(doc, views, ctx)
        text, removals = apply_marks(doc)
        result = CleanResult(text, doc.text, removals, dict(doc.metadata))
        if not text.strip():
            result.rejected, result.detail = "empty_after_cleaning", "every line was removed"
        return result

    def clean_text(self, text: str | bytes, *, url: str | None = None,
                   metadata: dict[str, Any] | None = None, relpath: str | None = None,
                   charset: str | None = None) -> CleanResult:
        """Clean plain scraped text; ``relpath`` names its site in dir mode.

        A string never raises: one with no text in it comes back rejected (``empty``).
        ``bytes`` are decoded first (``charset``: the one an HTTP header declared) and raise
        :class:`DocumentError` when they are not text.
        """
        try:
            doc = text_document(text, self.config, url=url, metadata=metadata, relpath=relpath,
                                charset=charset)
        except DocumentError as exc:
            if isinstance(text, bytes):
                raise
            return CleanResult("", "", [], dict(metadata or {}), exc.reason, exc.detail)
        return self.clean_document(doc)

    def clean_html(self, html: str | bytes, *, url: str | None = None,
                   metadata: dict[str, Any] | None = None, relpath: str | None = None,
                   charset: str | None = None) -> CleanResult:
        """Extract the main text of an HTML page with trafilatura, then clean it (``bytes``
        decoded as browsers do: BOM, then ``charset`` from the HTTP header, then ``<meta>``)."""
        return self.clean_document(html_document(html, self.config, url=url, metadata=metadata, relpath=relpath,
                                                 charset=charset))

    def clean_raw(self, doc: RawDocument, record: dict[str, Any] | None = None, *,
                  url: str | None = None) -> CleanResult:
        """Clean one document as a reader read it (:mod:`cleaner.sources.readers`): a text file,
        an HTML page, or a JSONL record (parsed here unless ``record`` is given); ``url``
        overrides the one the container gave."""
        return self.clean_document(source_document(doc, self.config, record, url=url))

    def clean_record(self, record: dict[str, Any], *, relpath: str | None = None) -> CleanResult:
        """Clean one record with a text or html field (names from the config)."""
        return self.clean_document(record_document(record, self.config, relpath=relpath))

    # -- records ------------------------------------------------------------------------

    def map(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Clean records lazily: each comes back with clean ``text`` and provenance in ``metadata``.

        A record that cannot be cleaned comes back unchanged but for ``metadata.rejected``
        (its reason) and an empty ``text``; nothing is dropped silently.
        """
        from .sinks.records import record_from_result

        for record in records:
            try:
                result = self.clean_record(record)
            except DocumentError as exc:
                yield record_from_result(self, None, record, reason=exc.reason, detail=exc.detail)
                continue
            yield record_from_result(self, result, record, reason=result.rejected, detail=result.detail)


# -- the source text that removals index into ------------------------------------------


def source_document(doc: RawDocument, config: Config, record: dict[str, Any] | None = None, *,
                    url: str | None = None) -> Document:
    """The document that cleaning ``doc`` starts from: its ``text`` is what the removals of its
    output record index into (the decoded text; for HTML, the main text extracted from it).

    ``record``: the JSONL record already parsed from ``doc``; ``url`` overrides the container's.
    Mining reads documents through it too, so learned rules see the text cleaning sees.
    """
    if doc.data is None:
        raise DocumentError(doc.reason, doc.detail)
    if doc.kind == "record":
        return record_document(record if record is not None else parse_record(doc.data), config,
                               relpath=doc.relpath, controls=may_hold_controls(doc.data))
    build = html_document if doc.kind == "html" else text_document
    return build(doc.data, config, url=url or doc.url, relpath=doc.relpath, charset=doc.charset)


def text_document(text: str | bytes, config: Config, *, url: str | None = None,
                  metadata: dict[str, Any] | None = None, relpath: str | None = None,
                  charset: str | None = None, controls: bool = True) -> Document:
    """Plain scraped text as a document: decoded (bytes; ``charset`` from an HTTP header) or
    checked (str; ``controls`` False: the caller knows it holds no control character), its site
    keyed."""
    meta = dict(metadata or {})
    decoded = (decode_bytes(text, charset=charset) if isinstance(text, bytes)
               else finish_text(text, check_controls=controls))
    if url:
        meta.setdefault("url", url)
    meta.setdefault("encoding", decoded.encoding)
    _note_decoding(meta, decoded)
    domain, site = place_of(url, relpath, config.site_key)
    return Document(decoded.text, "text", url=url, domain=domain, metadata=meta, site=site)


def html_document(html: str | bytes, config: Config, *, url: str | None = None,
                  metadata: dict[str, Any] | None = None, relpath: str | None = None,
                  charset: str | None = None) -> Document:
    """An HTML page as a document: its main text (trafilatura and our block logic), the page's
    metadata, and how the text was made (``extraction``, ``extractor``). Bytes are decoded as
    browsers do: BOM, then ``charset`` from the HTTP header, then ``<meta>``, then detection."""
    # imported at the first page: a plain-text run never needs the extraction (~40 ms at start-up)
    from .extract.page import extract_html, extractor_provenance

    decoded = decode_bytes(html, html=True, charset=charset) if isinstance(html, bytes) else finish_text(html)
    extracted = extract_html(decoded.text, url=url, favor=config.favor,
                             include_comments=config.include_comments, metadata=config.html_metadata)
    meta = dict(metadata or {})
    for key, value in extracted.metadata.items():
        meta.setdefault(key, value)
    meta.setdefault("encoding", decoded.encoding)
    _note_decoding(meta, decoded)
    meta["extraction"] = extracted.method
    url = url or meta.get("url")
    text = finish_text(extracted.text).text
    meta["extractor"] = extractor_provenance(extracted.method, text, favor=config.favor,
                                             include_comments=config.include_comments,
                                             metadata=config.html_metadata)
    kind = "text" if extracted.method == "blocks" else "html"
    domain, site = place_of(url, relpath, config.site_key)
    return Document(text, kind, url=url, domain=domain, metadata=meta, site=site, link_keys=extracted.link_keys,
                    discussion=extracted.discussion)


def record_document(record: dict[str, Any], config: Config, *, relpath: str | None = None,
                    controls: bool = True) -> Document:
    """A JSONL record as a document, from its html field when set, else its text field
    (``controls`` False: its JSON line cannot give the text a control character,
    :func:`cleaner.sources.jsonline.may_hold_controls`).

    Its URL is the ``url_field``; a record without one is scoped (site and domain rules, learned
    rules) by the URL it holds elsewhere (:func:`nested_url`), which is not written again."""
    url = record.get(config.url_field)
    url = url if isinstance(url, str) else None
    if config.html_field in record and record[config.html_field] is not None:
        value = record[config.html_field]
        if not isinstance(value, (str, bytes)):
            raise DocumentError("bad_field", f"'{config.html_field}' is {type(value).__name__}, not a string")
        doc = html_document(value, config, url=url, relpath=relpath, charset=record_charset(record))
    else:
        value = record.get(config.text_field)
        if value is None:
            raise DocumentError("missing_field", f"no '{config.text_field}' or '{config.html_field}' field")
        if not isinstance(value, (str, bytes)):
            raise DocumentError("bad_field", f"'{config.text_field}' is {type(value).__name__}, not a string")
        doc = text_document(value, config, url=url, relpath=relpath, charset=record_charset(record),
                            controls=controls)
    if doc.url is None and (found := nested_url(record, config.url_field)):
        doc.url = found
        doc.domain, doc.site = place_of(found, relpath, config.site_key)
    return doc


_URL_NAMES = ("url", "warc_target_uri", "WARC-Target-URI", "warc-target-uri")
_URL_HOLDERS = ("metadata", "meta", "warc_headers")  # Dolma, RedPajama and The Pile, OSCAR


def nested_url(record: dict[str, Any], url_field: str = "url") -> str | None:
    """The page URL a record holds other than in ``url_field``: a top-level WARC target URI, or
    a URL in its ``metadata`` (Dolma), ``meta`` or ``warc_headers`` (OSCAR) object.

    >>> nested_url({"text": "t", "metadata": {"url": "https://a.org/x"}})
    'https://a.org/x'
    >>> nested_url({"text": "t", "warc_headers": {"warc-target-uri": "https://b.org/"}})
    'https://b.org/'
    """
    names = (url_field, *(n for n in _URL_NAMES if n != url_field))
    places = [record] + [record[k] for k in _URL_HOLDERS if isinstance(record.get(k), dict)]
    for place in places:
        for name in names:
            value = place.get(name)
            if isinstance(value, str) and value.strip() and (place is not record or name != url_field):
                return value.strip()
    return None


def record_charset(record: dict[str, Any]) -> str | None:
    """The charset a record's HTTP fields declare: ``content_type``, or ``Content-Type`` in a
    ``headers`` object (for a body given as bytes; a JSON string is text already)."""
    value = record.get("content_type")
    headers = record.get("headers")
    if not isinstance(value, str) and isinstance(headers, dict):
        value = next((v for k, v in headers.items() if isinstance(k, str) and k.lower() == "content-type"), None)
    return charset_of(value) if isinstance(value, str) else None


def _note_decoding(meta: dict[str, Any], decoded) -> None:
    if decoded.replaced:
        meta["replaced_chars"] = decoded.replaced
    if decoded.controls:
        meta["control_chars_dropped"] = decoded.controls
