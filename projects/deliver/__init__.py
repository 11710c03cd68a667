"""What leaves the studio: the animatic, editor timelines, printed boards, the shot list.

Pure writers: each takes plain data (a `Cut`, or rows a selector built) and local file paths,
and writes a file. None reads the database or storage, so the worker, the management commands
and the tests drive the same code, and media can live anywhere (the pipeline copies it local).
"""
