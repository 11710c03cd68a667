"""One module per prompt formula; each exposes `build(spec, caps, cam) -> Draft`."""
