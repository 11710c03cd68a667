"""Higgsfield DoP image-to-video (docs/providers.md section 5).

adapter: HTTP · contract: build/parse, pure · prompt: the formula · capabilities · prices
"""
