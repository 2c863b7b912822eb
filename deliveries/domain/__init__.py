"""Pure rules of deliveries (docs/domain.md §10): who must receive each issued document, by
jurisdiction, and each party's dispute window counted from its own delivery.

Standard library only: this package must never import Django (docs/architecture.md §1).
"""
