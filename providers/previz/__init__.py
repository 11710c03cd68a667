"""Previz: the local, free provider. A still filmed by a virtual camera, rendered to H.264.

`render` is the renderer (pure: PyAV + Pillow), `adapter` the VideoProvider that makes it look
like a remote asynchronous API, `tasks` the Celery task the render queue runs; `prompt`,
`capabilities` and `prices` as for every provider.
"""
