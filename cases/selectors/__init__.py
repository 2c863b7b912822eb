"""Reads for pages, reports and the API: querysets with a fixed number of queries
(docs/architecture.md §4). Each module reads one part of the record."""
