"""Open data: the JSON API (/api/v1/…), bulk exports and the Atom feed."""
