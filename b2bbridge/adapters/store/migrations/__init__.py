"""The store's alembic migrations (``env.py``, ``versions/``), run by ``upgrade_database``.

A package so that installing b2bbridge ships ``env.py``; it is read by alembic, never
imported by b2bbridge itself.
"""
