"""Query counts that depend on how the suite is run: pinned counts add these, so each pass
(SQLite alone, PostgreSQL + Redis) pins its exact number."""

from django.conf import settings

# A signed-in request's session read: with Redis, sessions are read from it (cached_db in
# studio/settings.py) and cost no query; without, one from the database.
SESSION = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
