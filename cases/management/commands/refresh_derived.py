"""Work out again, from the cases, what is kept up to date as they change: the case list's
search terms, each case's plateau verdict and the summaries (status counts, Time to MMI).

    manage.py refresh_derived

The services keep them in step at every change; run this after loading cases in bulk
around the services, or to repair them.
"""

from django.core.management.base import BaseCommand

from cases.services.plateau import plateau_rebuild
from cases.services.search import search_terms_rebuild
from cases.services.summaries import summaries_rebuild


class Command(BaseCommand):
    help = "Rebuild the case list's search terms, the plateau verdicts and the summaries."

    def handle(self, *args, **options) -> None:
        search_terms_rebuild()
        plateau_rebuild()
        summaries_rebuild()
        self.stdout.write("Search terms, plateau verdicts and summaries rebuilt.")
