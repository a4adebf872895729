"""The store: one embedded DuckDB file, created on first use, with a versioned schema.

Writes are transactional per batch: a batch of analyses and errors is committed whole or not at
all, so a run killed at any moment and re-run ends with every page stored exactly once (documents
already stored are skipped by id before they are parsed, unless re-analysis is asked for).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from wirescope.errors import PageError, StoreError
from wirescope.records import Analysis, Event, Quote
from wirescope.storage import encoded, register, search_index
from wirescope.storage.json_text import encode_json
from wirescope.storage.rows import BY_NUMBER, DOCUMENTS, ENTITIES, EVENTS, MENTIONS, QUOTES, RECORD_TABLES

# Each migration moves the schema one version up; they run in order, each in its own transaction,
# and the applied versions are recorded in ``schema_migrations``. Never edit a released migration:
# add the next one.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE documents (
            id VARCHAR PRIMARY KEY,
            url VARCHAR,
            outlet VARCHAR,
            title VARCHAR,
            published VARCHAR,
            byline VARCHAR,
            language VARCHAR,
            text VARCHAR NOT NULL,
            source VARCHAR,
            content_type VARCHAR,
            status VARCHAR NOT NULL,
            status_reason VARCHAR,
            schema VARCHAR NOT NULL,
            stored_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        CREATE TABLE segments (
            doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, kind VARCHAR NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL
        );
        CREATE TABLE entities (
            doc_id VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
            type VARCHAR NOT NULL, code VARCHAR
        );
        CREATE TABLE mentions (
            doc_id VARCHAR NOT NULL, entity_id VARCHAR NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text VARCHAR NOT NULL
        );
        -- Ready for the quote, event, framing and story layers: created now so that a database
        -- made by this version takes their records without a rebuild.
        CREATE TABLE quotes (
            doc_id VARCHAR NOT NULL, quote_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
            content_start INTEGER, content_end INTEGER, cue_start INTEGER, cue_end INTEGER,
            speaker_entity VARCHAR, speaker_name VARCHAR, speaker_start INTEGER, speaker_end INTEGER
        );
        CREATE TABLE events (
            doc_id VARCHAR NOT NULL, event_id VARCHAR NOT NULL, type VARCHAR NOT NULL,
            mode VARCHAR, context VARCHAR[], actors JSON, recipients JSON,
            trigger_start INTEGER, trigger_end INTEGER, sentence_start INTEGER, sentence_end INTEGER,
            negated BOOLEAN, hypothetical BOOLEAN, quote_id VARCHAR, confidence DOUBLE
        );
        CREATE TABLE framing (
            doc_id VARCHAR NOT NULL, seq INTEGER NOT NULL, kind VARCHAR NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text VARCHAR,
            neutral VARCHAR, explanation VARCHAR, score DOUBLE
        );
        CREATE TABLE stories (
            story_id VARCHAR PRIMARY KEY, headline VARCHAR, first_seen VARCHAR, last_seen VARCHAR
        );
        CREATE TABLE story_documents (story_id VARCHAR NOT NULL, doc_id VARCHAR NOT NULL);
        CREATE TABLE ingest_errors (
            source VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, reason VARCHAR NOT NULL,
            first_seen TIMESTAMP NOT NULL DEFAULT current_timestamp,
            last_seen TIMESTAMP NOT NULL DEFAULT current_timestamp,
            attempts INTEGER NOT NULL DEFAULT 1
        );
        """,
    ),
    (
        2,
        """
        -- One event, one record: the reports of the same event in the article are its mentions.
        ALTER TABLE events ADD COLUMN mentions JSON;
        ALTER TABLE events ADD COLUMN mention_count INTEGER;
        -- Loaded wording inside a quote is the speaker's, not the outlet's.
        ALTER TABLE framing ADD COLUMN category VARCHAR;
        ALTER TABLE framing ADD COLUMN in_quote BOOLEAN;
        ALTER TABLE framing ADD COLUMN speaker VARCHAR;
        ALTER TABLE framing ADD COLUMN quote_id VARCHAR;
        """,
    ),
    (
        3,
        """
        -- Stories (wirescope.stories.assign): the grouping state kept between runs, so that each new
        -- document joins a stored story or starts one without regrouping everything.
        ALTER TABLE stories ADD COLUMN documents INTEGER;  -- independent documents, copies not counted
        ALTER TABLE story_documents ADD COLUMN seq BIGINT;  -- arrival order across runs
        ALTER TABLE story_documents ADD COLUMN day DATE;  -- the date the grouping used
        ALTER TABLE story_documents ADD COLUMN similarity DOUBLE;  -- score against the story it joined
        ALTER TABLE story_documents ADD COLUMN duplicate_of VARCHAR;  -- first copy of a near-duplicate
        -- Per document: weighted term counts of title + body + actors, and its MinHash signature.
        CREATE TABLE story_features (
            doc_id VARCHAR PRIMARY KEY, terms JSON NOT NULL, minhash UBIGINT[] NOT NULL
        );
        -- Document frequencies of those terms over the grouped documents (copies not counted).
        CREATE TABLE story_terms (term VARCHAR PRIMARY KEY, df INTEGER NOT NULL);
        """,
    ),
    (
        4,
        """
        -- Dates (issue 13): the publication date as the page gave it, beside the normalised one.
        ALTER TABLE documents ADD COLUMN IF NOT EXISTS published_raw VARCHAR;
        -- The days a story's grouping used (an undated document is placed at its ingest day), kept
        -- apart from first_seen/last_seen, which are publication days only (NULL when all undated).
        ALTER TABLE stories ADD COLUMN IF NOT EXISTS first_day DATE;
        ALTER TABLE stories ADD COLUMN IF NOT EXISTS last_day DATE;
        UPDATE stories SET first_day = TRY_CAST(first_seen AS DATE), last_day = TRY_CAST(last_seen AS DATE);
        """,
    ),
    (
        5,
        """
        -- Actors (issue 14): the stable actor id of an entity, the same in every document.
        ALTER TABLE entities ADD COLUMN IF NOT EXISTS actor VARCHAR;
        """,
    ),
    (
        6,
        """
        -- The actor register (issue 14, wirescope.storage.register): analysts' corrections in the
        -- order made, and the forms of every identified entity with the corrections applied.
        CREATE TABLE actor_corrections (
            seq INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, actor VARCHAR NOT NULL, other VARCHAR,
            alias VARCHAR, value VARCHAR, start_day VARCHAR, end_day VARCHAR,
            made_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        CREATE TABLE actor_forms (
            doc_id VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, is_entity BOOLEAN NOT NULL,
            text VARCHAR NOT NULL, mentions INTEGER NOT NULL, day VARCHAR, type VARCHAR,
            actor VARCHAR, code VARCHAR,
            moved BOOLEAN NOT NULL  -- split off its entity's actor alone (not with the whole entity)
        );
        -- Summaries of actor_forms per actor, per form as written and per code (the register's reads).
        CREATE TABLE actor_summary (
            actor VARCHAR NOT NULL, type VARCHAR, documents BIGINT, mentions BIGINT,
            first_seen VARCHAR, last_seen VARCHAR
        );
        CREATE TABLE actor_aliases (
            actor VARCHAR NOT NULL, text VARCHAR NOT NULL, named BOOLEAN, mentions BIGINT, documents BIGINT
        );
        CREATE TABLE actor_codes (
            actor VARCHAR NOT NULL, code VARCHAR NOT NULL, first_seen VARCHAR, last_seen VARCHAR, documents BIGINT
        );
        """,
    ),
    (
        7,
        """
        -- Collection (issue 16, wirescope.collect; every query in wirescope.storage.feeds): the feeds
        -- followed with their polling state, and every article URL met in them with what became of it,
        -- so that a restarted collector fetches only what is new. Times are UTC.
        CREATE SEQUENCE IF NOT EXISTS feed_ids START 1;
        CREATE TABLE IF NOT EXISTS feeds (
            id INTEGER PRIMARY KEY DEFAULT nextval('feed_ids'),
            url VARCHAR NOT NULL UNIQUE,  -- normalised (wirescope.collect.urls)
            outlet VARCHAR,  -- given by the user; else the page's or the news sitemap's own
            kind VARCHAR,  -- 'feed' (RSS/Atom) or 'sitemap'; NULL until the first fetch tells
            added_at TIMESTAMP NOT NULL,
            every_s DOUBLE NOT NULL,  -- poll interval
            etag VARCHAR, last_modified VARCHAR,  -- validators of the last complete fetch
            last_fetch_at TIMESTAMP, next_fetch_at TIMESTAMP,
            last_status INTEGER,  -- HTTP status of the last fetch; NULL when no answer came
            pages_collected BIGINT NOT NULL DEFAULT 0,  -- documents stored from its items
            consecutive_errors INTEGER NOT NULL DEFAULT 0,
            last_error VARCHAR, last_error_at TIMESTAMP
        );
        -- Written in the transaction that stores the documents they produced (Store.write_batch's
        -- ``within``): a URL is here exactly when its outcome is stored.
        CREATE TABLE IF NOT EXISTS collected_urls (
            url VARCHAR PRIMARY KEY,  -- normalised
            feed_id INTEGER,  -- the feed it was first met in
            first_seen TIMESTAMP NOT NULL, last_tried TIMESTAMP NOT NULL,
            doc_id VARCHAR,  -- the document it gave (or duplicated); NULL when none
            outcome VARCHAR NOT NULL,  -- stored | duplicate | error | skipped-robots
            reason VARCHAR,
            attempts INTEGER NOT NULL DEFAULT 1
        );
        """,
    ),
    (
        8,
        """
        -- Alerts (issue 16, every query in wirescope.storage.alerts): saved queries whose matches are
        -- listed and published as an Atom feed. created_at is on the clock of documents.stored_at (the
        -- database's current_timestamp): a match is new when its document was stored after it.
        CREATE SEQUENCE IF NOT EXISTS alert_ids START 1;
        CREATE TABLE IF NOT EXISTS alerts (
            id INTEGER PRIMARY KEY DEFAULT nextval('alert_ids'),
            name VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,  -- the filters given, joined by '+': actor, recipient, pair, event_type, term, word
            actor VARCHAR, recipient VARCHAR, event_type VARCHAR, term VARCHAR, word VARCHAR,  -- NULL: not filtered
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        """,
    ),
    (
        9,
        """
        -- Where and when (issue 18): a document's tone, the GeoNames place of a place name, the tone
        -- toward an actor, and each event's date (with where it came from) and action location. The
        -- time expressions of a document get their table from their record (rows.TIMES, created
        -- after the migrations).
        ALTER TABLE documents ADD COLUMN IF NOT EXISTS tone JSON;
        ALTER TABLE entities ADD COLUMN IF NOT EXISTS place JSON;
        ALTER TABLE entities ADD COLUMN IF NOT EXISTS tone DOUBLE;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS date VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS date_source VARCHAR;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS date_span_start INTEGER;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS date_span_end INTEGER;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS location JSON;
        ALTER TABLE events ADD COLUMN IF NOT EXISTS location_entity VARCHAR;
        """,
    ),
    (
        10,
        """
        -- A document's main places (issue 18): the places its names resolve to, most mentioned first.
        ALTER TABLE documents ADD COLUMN IF NOT EXISTS places JSON;
        """,
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
# The first version with the actor register: a database migrated past it fills it once.
REGISTER_VERSION = 6

# Tables holding one document's analysis, deleted together when a document is re-analysed.
DOCUMENT_TABLES = ("entities", "mentions", *RECORD_TABLES)
EXPORT_TABLES = ("documents", *DOCUMENT_TABLES, "stories", "story_documents", "ingest_errors", "actor_corrections")
# Exported tables that are queries: the actor register, one row per actor with aliases and codes.
EXPORT_QUERIES = {"actors": register.EXPORT}
EXPORT_FORMATS = ("parquet", "jsonl", "gdelt")


@dataclass(frozen=True)
class BatchResult:
    stored: int  # new documents
    replaced: int  # documents re-analysed
    errors: int
    grouped: int = 0  # documents put into a story (wirescope.stories.intake.store_analyses)


class Store:
    """A DuckDB file holding documents, their analyses and ingest errors.

    ``connection`` wraps a connection (or cursor) that is already open instead of opening the file:
    it is neither migrated nor checked, and closing the Store closes it (see ``cursor``).
    """

    def __init__(self, path: str | Path, read_only: bool = False,
                 connection: duckdb.DuckDBPyConnection | None = None) -> None:
        self.path = Path(path)
        if connection is not None:
            self.con = connection
            return
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such database (run `wirescope ingest` first)")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as error:
            raise StoreError(f"{self.path}: cannot open as a DuckDB database: {error}") from error
        if not read_only:
            self.migrate()
        elif self.schema_version() < SCHEMA_VERSION or self._missing_record_tables():
            raise StoreError(f"{self.path}: the schema is older than this version of wirescope; "
                             "open it once for writing to migrate")

    # -- lifecycle ---------------------------------------------------------------------------
    def cursor(self) -> Store:
        """A Store over a new cursor of this one's connection, for one thread (a DuckDB connection
        is not thread-safe, its cursors are); closing it closes the cursor only."""
        return Store(self.path, connection=self.con.cursor())

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything written inside the ``with`` block is committed together, or nothing is."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT current_timestamp)"
        )
        current = self.schema_version()
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            try:
                with self.transaction():
                    self.con.execute(sql)
                    self.con.execute("INSERT INTO schema_migrations (version) VALUES (?)", [version])
            except duckdb.Error as error:
                raise StoreError(f"{self.path}: migration {version} failed: {error}") from error
        if current < REGISTER_VERSION:  # documents stored before the register had none
            with self.transaction():
                register.refresh_forms(self.con)
        # Record tables added after the last migration (a new analyzer's) are created from their
        # record: no hand-written CREATE TABLE.
        for table in RECORD_TABLES.values():
            self.con.execute(table.create_sql())
        self._index_unindexed()

    def _index_unindexed(self) -> None:
        """Create the search index's tables and index the documents it lacks (a database written
        before it), a batch per transaction: idempotent, and a killed open loses one batch at most.
        The same for the stored analysis JSON of each document and its encoded event items
        (``storage.encoded``; a document stored with a body gets its items from the body).

        Not a numbered migration: the index is derived from the documents, so it needs no schema
        version of its own, and a read-only open of a database without it still works (its search
        falls back to a scan, ``queries.search_documents``).
        """
        for sql in search_index.CREATE_TABLES:
            self.con.execute(sql)
        for doc_ids in search_index.unindexed_batches(self.con):
            with self.transaction():
                search_index.index_stored(self.con, doc_ids)
        for sql in encoded.CREATE_TABLES:
            self.con.execute(sql)
        for doc_ids in encoded.unencoded_batches(self.con):
            with self.transaction():
                encoded.store_bodies(self.con, doc_ids)
        for doc_ids in encoded.unencoded_item_batches(self.con):
            with self.transaction():
                encoded.store_items_from_bodies(self.con, doc_ids)

    def _missing_record_tables(self) -> list[str]:
        present = {row[0] for row in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        return [name for name in (t.name for t in RECORD_TABLES.values()) if name not in present]

    def index_documents(self) -> None:
        """Index every analysis table on ``doc_id``, for a server reading one document at a time.

        Every per-document read filters on doc_id: an ART index per table makes it a lookup
        (get_analysis on 10,000 documents: 10.8 ms -> 6.9 ms measured on a loaded machine).
        """
        for table in DOCUMENT_TABLES:
            self.con.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_doc_id ON {table} (doc_id)")

    # -- writing -----------------------------------------------------------------------------
    def known_ids(self) -> set[str]:
        return {row[0] for row in self.con.execute("SELECT id FROM documents").fetchall()}

    def write_batch(self, analyses: Sequence[Analysis], errors: Sequence[PageError] = (),
                    reanalyse: bool = False,
                    within: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
                    derived: bool = True) -> BatchResult:
        """Store a batch in one transaction. A stored document is replaced only with ``reanalyse``.

        ``within(connection)`` runs first inside that transaction, before the batch is written: what it
        writes is committed with the documents or not at all (the collector's record of the URLs
        they came from, ``wirescope.storage.feeds.record_collected``). ``derived=False`` writes the
        records' tables only, not what is derived from them (the stored JSON, the search index, the
        actor register's forms): for a batch whose tables are copied elsewhere and derived there
        (``shards.analysis_tables``, whose ``load`` derives them).
        """
        # Within one batch the same page may come twice (same URL or text): keep the first.
        unique: dict[str, Analysis] = {}
        for analysis in analyses:
            unique.setdefault(analysis.document.id, analysis)
        with self.transaction():
            if within is not None:
                within(self.con)
            ids = list(unique)
            existing = {
                row[0] for row in self.con.execute(
                    "SELECT id FROM documents WHERE list_contains($1, id)", [ids]
                ).fetchall()
            } if ids else set()
            if not reanalyse:
                unique = {k: v for k, v in unique.items() if k not in existing}
            replaced = [k for k in unique if k in existing]
            if replaced:
                for table in DOCUMENT_TABLES:
                    self.con.execute(f"DELETE FROM {table} WHERE list_contains($1, doc_id)", [replaced])
                self.con.execute("DELETE FROM documents WHERE list_contains($1, id)", [replaced])
                search_index.remove_documents(self.con, replaced)
            self._insert_analyses(list(unique.values()))
            if derived:
                encoded.store_bodies(self.con, list(unique))  # replaces the bodies of the replaced
                search_index.add_documents(self.con, [search_index.analysis_text(a) for a in unique.values()])
                register.refresh_forms(self.con, list(unique))  # their actors, corrections applied
            self._record_errors(errors)
            # A page that failed before and is stored now no longer counts as failed.
            sources = [a.document.source for a in unique.values() if a.document.source]
            if sources:
                self.con.execute("DELETE FROM ingest_errors WHERE list_contains($1, source)", [sources])
        return BatchResult(stored=len(unique) - len(replaced), replaced=len(replaced), errors=len(errors))

    def _insert_analyses(self, analyses: list[Analysis]) -> None:
        """Every record of every analysis, one INSERT per table (rows derived by wirescope.storage.rows)."""
        DOCUMENTS.insert(self.con, [((), a.document) for a in analyses])
        ENTITIES.insert(self.con, [((a.document.id,), e) for a in analyses for e in a.entities])
        MENTIONS.insert(self.con, [((a.document.id, e.id), m) for a in analyses for e in a.entities
                                   for m in e.mentions])
        for name, table in RECORD_TABLES.items():
            # A table keyed by position ("seq") numbers the records in their list order.
            numbered = "seq" in table.keys
            table.insert(self.con, [((a.document.id, i) if numbered else (a.document.id,), record)
                                    for a in analyses for i, record in enumerate(getattr(a, name))])

    def _record_errors(self, errors: Iterable[PageError]) -> None:
        # One row per input: a page failing again updates its row instead of adding a duplicate.
        for error in {e.source: e for e in errors}.values():
            self.con.execute(
                """
                INSERT INTO ingest_errors (source, kind, reason) VALUES (?, ?, ?)
                ON CONFLICT (source) DO UPDATE SET kind = excluded.kind, reason = excluded.reason,
                    last_seen = now(), attempts = ingest_errors.attempts + 1
                """,
                [error.source, error.kind, error.reason],
            )

    # -- reading -----------------------------------------------------------------------------
    def resolve_id(self, doc_id: str) -> str | None:
        """A full document id from an id or a unique prefix of one (like git's short hashes)."""
        rows = self.con.execute(
            "SELECT id FROM documents WHERE starts_with(id, ?) ORDER BY id LIMIT 2", [doc_id]
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def get_analysis(self, doc_id: str) -> Analysis | None:
        """The stored analysis of a document by id or unique prefix, read back from its tables."""
        full_id = self.resolve_id(doc_id)
        return None if full_id is None else encoded.read_analyses(self.con, [full_id]).get(full_id)

    def analysis_json(self, doc_id: str) -> bytes | None:
        """``encode_json(get_analysis(doc_id).to_dict())`` in UTF-8, from the body stored with the document
        (``storage.encoded``: one lookup) when there is one; None when no document has that id or prefix."""
        # A full id first: ids have one length, so a full id is the prefix of no other.
        body = encoded.stored_body(self.con, doc_id)
        if body is not None:
            return body
        full_id = self.resolve_id(doc_id)
        if full_id is None:
            return None
        body = encoded.stored_body(self.con, full_id)
        if body is None:  # a database written by a version without the bodies, opened read-only
            analysis = self.get_analysis(full_id)
            body = None if analysis is None else encode_json(analysis.to_dict()).encode()
        return body

    def list_quotes(self, speaker: str | None = None) -> list[tuple[str, Quote]]:
        """(document id, quote) for every stored quote, in document and text order.

        ``speaker`` keeps quotes whose speaker's entity name or text contains it (any case), or,
        when it is an actor id, the quotes whose speaker is that actor (``register.quote_keys``).
        """
        rows = self.con.execute(
            f"SELECT d.id, d.text, {QUOTES.select('q')} FROM quotes q JOIN documents d ON d.id = q.doc_id "
            f"ORDER BY d.stored_at, d.id, {BY_NUMBER.format('q.quote_id')}"
        ).fetchall()
        found = []
        by_actor = set(register.quote_keys(self.con, [speaker])) if speaker and register.actor_exists(
            self.con, speaker) else None
        needle = speaker.casefold() if speaker and by_actor is None else None
        for doc_id, text, *row in rows:
            quote: Quote = QUOTES.read(text, row)
            if by_actor is not None and (doc_id, quote.id) not in by_actor:
                continue
            if needle is not None:
                names = (quote.speaker.name or "", quote.speaker.text) if quote.speaker else ()
                if not any(needle in n.casefold() for n in names):
                    continue
            found.append((doc_id, quote))
        return found

    def all_events(self) -> list[tuple[str, Event]]:
        """(document id, event) for every stored event, in the order stored (the exports' order)."""
        rows = self.con.execute(
            f"SELECT d.id, d.text, {EVENTS.select('e')} FROM events e JOIN documents d ON d.id = e.doc_id "
            f"ORDER BY d.stored_at, d.id, {BY_NUMBER.format('e.event_id')}"
        ).fetchall()
        return [(doc_id, EVENTS.read(text, row)) for doc_id, text, *row in rows]

    def gdelt_rows(self) -> list[Any]:
        """Every stored event with its document's facts and its sides' actor ids (GDELT export,
        wirescope.storage.gdelt). An undated document's events have no date, never the ingest day."""
        from wirescope.storage.gdelt import event_rows

        return event_rows(self.con, self.all_events())

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM documents ORDER BY stored_at, id").fetchall()]

    def list_documents(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest stored documents; ``published`` is None for an undated one, ``stored_at``
        (ISO text) says when it was ingested."""
        rows = self.con.execute(
            "SELECT id, title, outlet, published, language, status, source, "
            "strftime(stored_at, '%Y-%m-%dT%H:%M:%S') FROM documents ORDER BY stored_at DESC, id LIMIT ?", [limit]
        ).fetchall()
        keys = ("id", "title", "outlet", "published", "language", "status", "source", "stored_at")
        return [dict(zip(keys, row)) for row in rows]

    def list_errors(self) -> list[dict[str, Any]]:
        rows = self.con.execute(
            "SELECT source, kind, reason, attempts FROM ingest_errors ORDER BY source"
        ).fetchall()
        return [dict(zip(("source", "kind", "reason", "attempts"), row)) for row in rows]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "segments", "entities", "mentions", "ingest_errors"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    # -- export ------------------------------------------------------------------------------
    def export(self, out_dir: str | Path, fmt: str) -> list[Path]:
        """Every table as ``OUT/TABLE.parquet`` or ``OUT/TABLE.jsonl``; for JSON Lines also
        ``analyses.jsonl``, one ``wirescope/analysis@1`` object per document."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        if fmt == "gdelt":  # GDELT 2.0 event, Mentions, extension and GKG tables, TSV and Parquet
            from wirescope.storage.gdelt import write_gdelt
            from wirescope.storage.gkg import write_gkg

            return [*write_gdelt(self.gdelt_rows(), out_dir), *write_gkg(self.con, out_dir)]
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        sources = [(table, table) for table in EXPORT_TABLES]
        sources += [(name, f"({query})") for name, query in EXPORT_QUERIES.items()]
        for name, source in sources:
            target = out / f"{name}.{fmt}"
            option = "FORMAT parquet" if fmt == "parquet" else "FORMAT json"
            # COPY takes no parameter for its target; the path is quoted by doubling quotes.
            quoted = str(target).replace("'", "''")
            if isinstance(self.con, duckdb.DuckDBPyConnection):
                self.con.execute(f"COPY {source} TO '{quoted}' ({option})")
            else:  # a file held by a server (storage.remote): its rows are copied out here
                rows = self.con.execute(f"SELECT * FROM {source}").to_arrow_table()
                with duckdb.connect() as local:
                    local.register("export_rows", rows)
                    local.execute(f"COPY export_rows TO '{quoted}' ({option})")
            written.append(target)
        if fmt == "jsonl":
            target = out / "analyses.jsonl"
            with target.open("w", encoding="utf-8") as handle:
                for doc_id in self.document_ids():
                    analysis = self.get_analysis(doc_id)
                    assert analysis is not None
                    handle.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
            written.append(target)
        return written
