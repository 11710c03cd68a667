"""Google Veo 3.1, on the Gemini API or Vertex AI (docs/providers.md section 1).

adapter: HTTP · contract: build/parse, pure · prompt: the formula · capabilities · prices
"""
