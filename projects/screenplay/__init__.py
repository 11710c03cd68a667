"""Screenplays in: Fountain and Final Draft files read into scenes and draft shots (pure: no
database; projects/services/screenplays.py saves what the preview showed)."""
