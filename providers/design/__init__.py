"""Designing a shot across every model: camera translation, compiling a shot for one model,
pre-flight checks, recommendations and presets. The one layer that knows all providers.
"""
