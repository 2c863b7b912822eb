from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.services import TokenAlreadyRevoked, api_token_revoke


class Command(BaseCommand):
    help = "Revoke an API token, named by its first characters (its prefix) or the whole token."

    def add_arguments(self, parser) -> None:
        parser.add_argument("token", help="The token, or its first 8 characters.")

    def handle(self, *args, token: str, **options) -> None:
        matches = list(
            ApiToken.objects.filter(digest=ApiToken.digest_of(token))
            or ApiToken.objects.active().filter(prefix=token[:8])
        )
        if not matches:
            raise CommandError("No such token.")
        if len(matches) > 1:
            raise CommandError("Several active tokens start so: give the whole token.")
        try:
            revoked = api_token_revoke(token=matches[0], revoked_by=None)
        except TokenAlreadyRevoked as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Revoked {revoked}.")
