"""Runway Gen-4.5 / Gen-4 Turbo (docs/providers.md section 2).

adapter: HTTP · contract: build/parse, pure · prompt: the formula · capabilities · prices
"""
