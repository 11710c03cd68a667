"""Kling 2.6 and 3.0 (docs/providers.md section 3). Its simulator is providers/simulator/kling.py.

adapter: HTTP · contract: build/parse, pure · prompt: the formula · capabilities · prices
"""
