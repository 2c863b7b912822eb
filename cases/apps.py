from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_migrate


def _judge_unjudged(sender: AppConfig, using: str, **kwargs) -> None:
    """Judge the cases a migration added without a plateau verdict (migration 0024): the rule
    is code, which runs against the schema it was written for only once every migration has
    run."""
    if using != DEFAULT_DB_ALIAS:
        return  # a replica follows the primary
    from .models import Case
    from .services.plateau import plateau_rebuild

    plateau_rebuild(Case.objects.filter(plateau__isnull=True))


def _session_started(sender, request, user, **kwargs) -> None:
    from .services.sessions import session_record

    if request is not None and request.session.session_key:
        session_record(request=request, user=user)


def _session_ended(sender, request, user, **kwargs) -> None:
    from .services.sessions import session_forget

    if request is not None and request.session.session_key:
        session_forget(session_key=request.session.session_key)


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

        # Case.revision follows every change a case document prints (docs/architecture.md §8).
        from .reports import revisions

        revisions.connect()
        # Case.has_clinician follows the care team, for the board's "No clinician assigned".
        from .models import Case
        from .services.cases import care_team_changed

        m2m_changed.connect(
            care_team_changed, sender=Case.care_team.through, dispatch_uid="case-care-team"
        )
        post_migrate.connect(_judge_unjudged, sender=self)
        # Where each user is signed in (cases/services/sessions.py).
        user_logged_in.connect(_session_started)
        user_logged_out.connect(_session_ended)
