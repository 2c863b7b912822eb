"""Records kept as they were made: what was issued, sent or delivered is never changed or
deleted, neither one row at a time nor through a queryset. A wrong one is withdrawn or
superseded by a new row."""

from django.db import models


class AppendOnly(Exception):
    """A record of what was done or sent: it is never changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def _refuse(self, verb: str):
        model = self.model
        refusal = getattr(model, "refusal", AppendOnly)
        raise refusal(f"{str(model._meta.verbose_name_plural).capitalize()} cannot be {verb}.")

    def update(self, **kwargs):
        self._refuse("changed")

    def delete(self):
        self._refuse("deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse("changed")

    def update_or_create(self, *args, **kwargs):
        self._refuse("changed")


class AppendOnlyModel(models.Model):
    """Saved once; ``refusal`` is the exception a change or a deletion raises."""

    refusal: type[AppendOnly] = AppendOnly

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.refusal(f"{str(self._meta.verbose_name).capitalize()} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refusal(f"{str(self._meta.verbose_name).capitalize()} cannot be deleted.")
