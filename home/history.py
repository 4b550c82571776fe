"""The append-only rule of the history models (``moderation.HistoryEntry``,
``laureates.LaureateHistoryEntry``): an entry is written once, never changed, never deleted,
and keeps the name of who wrote it (the user may be deleted later)."""


class AppendOnlyError(Exception):
    """A history entry cannot be changed or deleted."""


class AppendOnlyHistory:
    """Mixed into a model with ``user`` (a nullable foreign key) and ``user_name``."""

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("History entries cannot be changed.")
        if self.user is not None and not self.user_name:
            self.user_name = (self.user.get_full_name() or self.user.get_username())[:255]
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("History entries cannot be deleted.")
