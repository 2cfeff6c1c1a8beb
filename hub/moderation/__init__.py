"""Moderation: the review queue, decisions, revisions, exceptions, audit and figures."""
