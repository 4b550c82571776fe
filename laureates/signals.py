"""Receivers of the moderation side's signals: a « lauréate » decision announced makes the
laureate's record (``services.create_from_decision``, exactly once)."""
