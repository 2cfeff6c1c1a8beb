"""The OpenAPI 3.1 document of /api/v1, built from the same vocabularies the API checks."""

from __future__ import annotations

from typing import Any

from hub import vocab
from hub.api.serialize import PUBLIC_FIELDS
from hub.routing import public_url
from hub.search.listing import FACETS, MAX_PER_PAGE, SORTS, vocabulary
from hub.search.query import MAX_QUERY_CHARS

MAX_PAGE = 10_000  # what hub.search.params.listing_query_from_args accepts (tests/test_api.py)
_STRING_OR_NULL = {"type": ["string", "null"]}
_FIELD_SCHEMAS: dict[str, Any] = {
    "countries": {
        "type": "array",
        "items": {"type": "string"},
        "description": "ISO 3166-1 alpha-2 codes of the UN M49 countries and areas, or 'global'",
    },
    "regions": {
        "type": "array",
        "items": {"type": "string", "enum": list(vocab.REGIONS)},
        "description": "The M49 regions of the countries, and 'global' for worldwide work "
        "(derived from the countries, never chosen apart)",
    },
    "themes": {"type": "array", "items": {"type": "string"}},
    "sdgs": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}},
    "start_date": {"type": ["string", "null"], "format": "date"},
    "end_date": {"type": ["string", "null"], "format": "date"},
    "published_at": {
        "type": ["string", "null"],
        "format": "date-time",
        "description": "When it was first published (its approval)",
    },
    "updated_at": {
        "type": ["string", "null"],
        "format": "date-time",
        "description": "When the public version last changed (its approval, or "
        "the approval of a later update)",
    },
    "stakeholder_group": _STRING_OR_NULL,
    "language": _STRING_OR_NULL,
}


def _facet_param(name: str) -> dict[str, Any]:
    values = list(vocabulary(name))
    return {
        "name": name,
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "description": f"Filter by {name}; repeat (or separate with commas) to combine "
        "values with OR. Different facets combine with AND.",
        "schema": {"type": "array", "items": {"type": "string", "enum": values}},
    }


def spec() -> dict[str, Any]:
    """The whole document."""
    # Closed objects: an answer with a field not listed here (say, a private one) is invalid.
    submission = {
        "type": "object",
        "additionalProperties": False,
        "required": [*PUBLIC_FIELDS, "url", "kind_label", "logo_url", "public_contacts"],
        "properties": {
            **{name: _FIELD_SCHEMAS.get(name, {"type": "string"}) for name in PUBLIC_FIELDS},
            "url": {"type": "string", "format": "uri"},
            "kind_label": {"type": "string"},
            # Added with logos: the hub's address of the published logo, or null.
            "logo_url": {"type": ["string", "null"], "format": "uri"},
            # Added with co-editors: the contact name, then co-editors listed by their choice.
            "public_contacts": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "organisation"],
                    "properties": {
                        "name": {"type": "string"},
                        "organisation": {"type": "string"},
                    },
                },
            },
        },
    }
    facet_counts = {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["value", "label", "count"],
            "properties": {
                "value": {"type": "string"},
                "label": {"type": "string"},
                "count": {"type": "integer", "minimum": 0},
            },
        },
    }
    error = {
        "description": "Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Partnerships Hub open data API",
            "version": "1.0.0",
            "description": "Approved submissions only. Read-only; no authentication.",
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": public_url("api.openapi").removesuffix("/openapi.json")}],
        "paths": {
            "/submissions": {
                "get": {
                    "operationId": "listSubmissions",
                    "summary": "Search and filter approved submissions",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": 'Words (all must match), "phrases", OR, prefix*',
                            "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS},
                        },
                        {
                            "name": "only",
                            "in": "query",
                            "required": False,
                            "description": "typed: search only the words of q, not their "
                            "glossary equivalents in the other languages",
                            "schema": {"type": "string", "enum": ["typed"]},
                        },
                        *[_facet_param(name) for name in FACETS],
                        {
                            "name": "sort",
                            "in": "query",
                            "required": False,
                            "description": "Order of the items: relevance (the default when q is "
                            "given), newest (the default without q) or title.",
                            "schema": {"type": "string", "enum": list(SORTS)},
                        },
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PAGE,
                                "default": 1,
                            },
                        },
                        {
                            "name": "per_page",
                            "in": "query",
                            "required": False,
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PER_PAGE,
                                "default": 20,
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of results",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "additionalProperties": False,
                                        "required": [
                                            "items",
                                            "total",
                                            "page",
                                            "per_page",
                                            "facets",
                                        ],
                                        "properties": {
                                            "items": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/Submission"
                                                },
                                            },
                                            "total": {"type": "integer", "minimum": 0},
                                            "page": {"type": "integer", "minimum": 1},
                                            "per_page": {
                                                "type": "integer",
                                                "minimum": 1,
                                                "maximum": MAX_PER_PAGE,
                                            },
                                            "facets": {
                                                "type": "object",
                                                "additionalProperties": False,
                                                "required": list(FACETS),
                                                "properties": {
                                                    name: facet_counts for name in FACETS
                                                },
                                            },
                                            "notes": {"type": "array", "items": {"type": "string"}},
                                            "suggestion": {"type": "string"},
                                            "also_searched": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "additionalProperties": False,
                                                    "required": ["term", "language"],
                                                    "properties": {
                                                        "term": {"type": "string"},
                                                        "language": {"type": "string"},
                                                    },
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": error,
                    },
                }
            },
            "/submissions/{slug}": {
                "get": {
                    "operationId": "getSubmission",
                    "summary": "One approved submission",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The submission",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Submission"}
                                }
                            },
                        },
                        "404": error,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1 document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Submission": submission,
                "Error": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["error", "message", "status"],
                    "properties": {
                        "error": {"type": "string"},
                        "message": {"type": "string"},
                        "status": {"type": "integer"},
                    },
                },
            }
        },
    }
