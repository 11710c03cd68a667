"""Seedance 1.5 Pro on BytePlus ModelArk (docs/providers.md section 4).

adapter: HTTP · contract: build/parse, pure · prompt: the formula · capabilities · prices
"""
