"""The benchmark: seed a database, serve it with gunicorn, load it over HTTP, write the report."""
