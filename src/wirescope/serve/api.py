"""The REST API and the web UI: what ``wirescope serve`` and the tests import.

    app = create_app("news.duckdb", token=None, settings=Settings())

Where the parts live, in this package:

* ``app.py``: ``create_app`` builds the FastAPI app, installs the error handlers and middleware,
  includes the routers and mounts the web UI (``web/``);
* ``database.py``: the app's one DuckDB connection and the per-request reader (``Reader``);
* ``context.py``: the settings, API token and locks the endpoints share (``Context``);
* ``guards.py``: the allowed hosts, the body size limit, the write guard (token or loopback) and
  the security headers;
* ``models.py``: the ``POST /analyze`` body and the shared query parameters;
* ``responses.py``: JSON results and the one shape of every error;
* ``routes_analyse.py``, ``routes_documents.py``, ``routes_events.py``, ``routes_quotes.py``,
  ``routes_stories.py``, ``routes_actors.py``: one APIRouter per resource; ``corrections.py``: the
  actor corrections (``POST /actors/{actor_id}/merge|split|rename|recode``), included by
  ``routes_actors``.
"""

from wirescope.serve.app import create_app
from wirescope.serve.guards import is_loopback

__all__ = ["create_app", "is_loopback"]
