"""Spreadsheets: blank forms for the units (template), their rows as records (import), and the
summary a unit sends to the city (export). Columns come from the schemas (layout.py)."""
