"""Higgsfield: DoP image-to-video, and video models it hosts from the account's catalogue
(docs/providers.md section 5).

adapter: HTTP · account: the catalogue, usage and connection check · contract and catalogue:
build/parse, pure · prompt: the formula · capabilities · prices · stills: Soul
"""
