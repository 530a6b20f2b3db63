"""WSGI entry point: ``gunicorn wsgi:app`` in production, ``flask`` commands everywhere."""

import gc

from recruit import create_app

app = create_app()
# What starting up made (modules, models, compiled templates) lives as long as the worker. Frozen,
# it is left out of the garbage collector's full passes, which otherwise stop a request for tens
# of milliseconds once it has allocated enough (a large report page): a p95 cost, not a leak.
gc.collect()
gc.freeze()
