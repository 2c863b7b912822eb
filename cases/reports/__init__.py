"""PDF reports in three layers (docs/architecture.md §8).

1. Build the report's content as plain dataclasses with a fixed number of queries
   (``certification``, ``patient_letter``, ``case_summary``, ``work_status``).
2. Render it: a template under ``templates/reports/`` → HTML → PDF with WeasyPrint, through
   a URL fetcher that serves only the project's static files (``rendering``), on the task
   queue (``preparing``, ``issuing``).
3. Store it: ``PreparedReport`` keeps the latest rendering of a case document or a draft's
   for the case's ``revision`` (``revisions``), ``IssuedReport`` the bytes and SHA-256 of
   what was issued (``issuing``). A download serves stored bytes only (``downloads``).
"""
