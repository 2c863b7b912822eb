from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from api.services import api_token_issue
from cases.models import User


class Command(BaseCommand):
    help = "Issue an API token to a user and print it (shown only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="issued from the command line")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            secret = api_token_issue(token=ApiToken(user=user, name=name), issued_by=None)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(secret)
