"""How a shot becomes a video. Pure Python: never imports `projects`, `studio` or Django.

core/      the interface, one account's config, HTTP, media probing, the shared vocabulary
<name>/    one package per provider (previz, veo, runway, kling, seedance, higgsfield):
           adapter (HTTP) · contract (build/parse) · prompt · capabilities · prices
design/    compile, pre-flight, camera, recommend, presets: the layer that knows every provider
capabilities.py, prices.py   every provider's entries gathered into one table
simulator/ the providers' HTTP APIs played locally, for tests and offline work

Layers (import-linter, `make lint`): design -> capabilities/prices -> providers -> core; no
provider package imports another.
"""
