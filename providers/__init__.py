"""How a shot becomes a video. Pure Python: never imports `projects` or Django."""
