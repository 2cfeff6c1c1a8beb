"""Moderation request handlers by job: reviewing (the queue and decisions) and management
(deadline exceptions, the audit trail, the figures); the URL map is ../blueprint.py."""
