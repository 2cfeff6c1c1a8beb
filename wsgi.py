"""WSGI entry point: gunicorn wsgi:app."""

from hub import create_app

app = create_app()
# A missing or unreadable search index is rebuilt in the background as the server starts;
# pages are served from SQL meanwhile.
app.extensions["hub_search"].warm_up()
