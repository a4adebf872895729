"""The one owner of the SQL: the DuckDB schema, writes, queries and exports."""
