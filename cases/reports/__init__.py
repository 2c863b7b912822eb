"""PDF reports in three layers (docs/architecture.md §8).

1. Build the report's content as plain dataclasses with a fixed number of queries
   (``certification``, ``patient_letter``, ``case_summary``, ``work_status``).
2. Render it: a template under ``templates/reports/`` → HTML → PDF with WeasyPrint, through
   a URL fetcher that serves only the project's static files (``rendering``).
3. Record what was issued: ``IssuedReport`` keeps the bytes and their SHA-256 (``issuing``).
"""
