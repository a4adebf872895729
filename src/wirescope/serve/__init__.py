"""The REST API and the web UI over one database (``wirescope serve``)."""
