"""The JSON API (/api/v1): search, facets, sort and pages as a data consumer sees them, one
item by slug, JSON errors, and the OpenAPI 3.1 document checked against real responses."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from hub.api.serialize import PUBLIC_FIELDS
from hub.search.listing import FACETS, vocabulary
from hub.submissions.models import Status

API = "/api/v1/submissions"
ITEM_KEYS = {*PUBLIC_FIELDS, "url", "kind_label", "logo_url", "public_contacts"}


@pytest.fixture
def owner(create_user):
    return create_user()


@pytest.fixture
def catalogue(owner, create_submission_for):
    """Five approved submissions (created in this order, so newest = last) and two hidden
    ones that share their facet values (so a wrong count would show)."""
    made = {}
    for key, kind, fields in [
        (
            "alpha",
            "initiative",
            dict(
                title="Alpha solar schools",
                summary="Solar panels on rural schools.",
                stakeholder_group="academia",
                countries=["FR", "SN"],
                regions=["europe", "africa"],
                themes=["education"],
                sdgs=[4],
            ),
        ),
        (
            "bravo",
            "coalition",
            dict(
                title="Bravo climate data coalition",
                summary="Sharing weather records.",
                description="Rainfall records for clinics and farms.",
                stakeholder_group="civil_society",
                countries=["KE"],
                regions=["africa"],
                themes=["climate"],
                sdgs=[13],
            ),
        ),
        (
            "charlie",
            "partnership",
            dict(
                title="Charlie safety evaluations",
                summary="Testing models together.",
                stakeholder_group="private_sector",
                countries=["CH"],
                regions=["europe"],
                themes=["safety", "education"],
                sdgs=[9, 4],
            ),
        ),
        (
            "delta",
            "concrete_action",
            dict(
                title="Delta solar grids for clinics",
                summary="Power for rural clinics.",
                stakeholder_group="member_state",
                countries=["KE", "TZ"],
                regions=["africa"],
                themes=["health", "climate"],
                sdgs=[3, 7],
            ),
        ),
        (
            "echo",
            "initiative",
            dict(
                title="Echo open models",
                summary="Open weights for research.",
                stakeholder_group="academia",
                countries=["global"],
                regions=["global"],
                themes=["open_source"],
                sdgs=[17],
            ),
        ),
    ]:
        made[key] = create_submission_for(owner, Status.APPROVED, kind=kind, **fields)
    hidden = dict(
        summary="Solar clinics in Kenya.",
        stakeholder_group="academia",
        countries=["KE"],
        regions=["africa"],
        themes=["climate"],
        sdgs=[13],
    )
    made["submitted"] = create_submission_for(
        owner, Status.SUBMITTED, kind="coalition", title="Foxtrot solar pending", **hidden
    )
    made["draft"] = create_submission_for(
        owner, Status.DRAFT, kind="initiative", title="Golf solar draft", **hidden
    )
    return made


@pytest.fixture
def one_item(owner, create_submission_for):
    return create_submission_for(owner, Status.APPROVED)


TITLES = {
    "alpha": "Alpha solar schools",
    "bravo": "Bravo climate data coalition",
    "charlie": "Charlie safety evaluations",
    "delta": "Delta solar grids for clinics",
    "echo": "Echo open models",
}
NEWEST_FIRST = ["echo", "delta", "charlie", "bravo", "alpha"]


def get_json(client, url: str, status: int = 200, **params: Any) -> dict:
    """GET and decode a JSON answer, checking status and content type."""
    response = client.get(url, query_string=params or None)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    return response.get_json()


def keys_of(body: dict) -> list[str]:
    """The catalogue keys of the items, in answer order."""
    by_title = {title: key for key, title in TITLES.items()}
    return [by_title[item["title"]] for item in body["items"]]


def counts(body: dict, facet: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in body["facets"][facet]}


# -- the list -----------------------------------------------------------------------------


def test_list_shape_totals_and_facet_counts(client, catalogue):
    body = get_json(client, API)
    assert set(body) == {"items", "total", "page", "per_page", "facets"}
    assert (body["total"], body["page"], body["per_page"]) == (5, 1, 20)
    assert keys_of(body) == NEWEST_FIRST  # no words: newest first
    for item in body["items"]:
        assert set(item) == ITEM_KEYS  # never contact_email, owner, status
        assert item["url"].endswith(f"/s/{item['slug']}")
    assert set(body["facets"]) == set(FACETS)
    # The two hidden items (Kenya, climate, academia, SDG 13) are counted nowhere.
    assert counts(body, "kind") == {
        "initiative": 2,
        "coalition": 1,
        "partnership": 1,
        "concrete_action": 1,
    }
    assert counts(body, "country") == {"FR": 1, "SN": 1, "KE": 2, "CH": 1, "TZ": 1, "global": 1}
    assert counts(body, "region") == {"europe": 2, "africa": 3, "global": 1}
    assert counts(body, "theme") == {
        "education": 2,
        "climate": 2,
        "safety": 1,
        "health": 1,
        "open_source": 1,
    }
    assert counts(body, "sdg") == {"4": 2, "13": 1, "9": 1, "3": 1, "7": 1, "17": 1}
    assert counts(body, "stakeholder") == {
        "academia": 2,
        "civil_society": 1,
        "private_sector": 1,
        "member_state": 1,
    }
    labels = {f["value"]: f["label"] for f in body["facets"]["country"]}
    assert labels["KE"] == "Kenya" and labels["global"] == vocabulary("country")["global"]


# (parameters, the catalogue keys expected): one catalogue serves the whole table.
FILTERS = [
    ({"kind": "initiative"}, {"alpha", "echo"}),
    ({"kind": ["initiative", "coalition"]}, {"alpha", "bravo", "echo"}),  # repeated: OR
    ({"kind": "initiative,coalition"}, {"alpha", "bravo", "echo"}),  # comma: OR
    ({"stakeholder": "academia"}, {"alpha", "echo"}),
    ({"country": "KE"}, {"bravo", "delta"}),
    ({"country": ["KE", "CH"]}, {"bravo", "charlie", "delta"}),
    ({"country": "global"}, {"echo"}),
    ({"region": "europe"}, {"alpha", "charlie"}),
    ({"theme": "education"}, {"alpha", "charlie"}),
    ({"theme": ["health", "safety"]}, {"charlie", "delta"}),
    ({"sdg": "4"}, {"alpha", "charlie"}),
    ({"sdg": "4", "kind": "partnership"}, {"charlie"}),  # different facets: AND
    ({"theme": "climate", "region": "africa"}, {"bravo", "delta"}),
    ({"country": ["KE", "FR"], "theme": "climate", "stakeholder": "member_state"}, {"delta"}),
    ({"region": "europe", "country": "KE"}, set()),
    ({"q": "solar"}, {"alpha", "delta"}),
    ({"q": "clinic"}, {"bravo", "delta"}),  # plural in the text, found by the stem
    ({"q": "solar", "country": "KE"}, {"delta"}),
    ({"q": "solar", "sdg": ["4", "7"], "region": "africa"}, {"alpha", "delta"}),
    ({"q": "solar clinics"}, {"delta"}),  # all words must match
    ({"q": "solar", "kind": "coalition", "sort": "newest"}, set()),
]


def test_filters_and_words(client, catalogue):
    for params, expected in FILTERS:
        body = get_json(client, API, **params)
        assert (set(keys_of(body)), body["total"]) == (expected, len(expected)), params


def test_words_with_filters_matching_nothing_list_no_items(client, catalogue):
    body = get_json(client, API, q="solar", kind="coalition")  # sort: relevance
    assert body["total"] == 0
    assert keys_of(body) == []


def test_facet_counts_describe_the_result_set(client, catalogue):
    body = get_json(client, API, q="solar")
    assert body["total"] == 2
    assert counts(body, "kind") == {"initiative": 1, "concrete_action": 1}
    assert counts(body, "country") == {"FR": 1, "SN": 1, "KE": 1, "TZ": 1}
    # A facet's own filter does not narrow its counts (so values can be added with OR);
    # the other facets count only what passes the filter.
    body = get_json(client, API, q="solar", kind="initiative")
    assert keys_of(body) == ["alpha"]
    assert counts(body, "kind") == {"initiative": 1, "concrete_action": 1}
    assert counts(body, "country") == {"FR": 1, "SN": 1}
    # A chosen value that matches nothing is listed with 0.
    body = get_json(client, API, q="solar", kind="coalition", sort="title")
    assert body["total"] == 0 and body["items"] == []
    assert counts(body, "kind") == {"initiative": 1, "concrete_action": 1, "coalition": 0}
    assert all(not items for name, items in body["facets"].items() if name != "kind")


SORTS = [
    ({}, NEWEST_FIRST),
    ({"sort": "newest"}, NEWEST_FIRST),
    ({"sort": "title"}, ["alpha", "bravo", "charlie", "delta", "echo"]),
    ({"sort": "relevance"}, NEWEST_FIRST),  # nothing to rank without words
    ({"q": "clinics"}, ["delta", "bravo"]),  # words: relevance, title before description
    ({"q": "clinics", "sort": "relevance"}, ["delta", "bravo"]),
    ({"q": "clinics", "sort": "title"}, ["bravo", "delta"]),
    ({"q": "solar", "sort": "newest"}, ["delta", "alpha"]),
    ({"q": "solar", "sort": "title"}, ["alpha", "delta"]),
]


def test_sort(client, catalogue):
    for params, order in SORTS:
        assert keys_of(get_json(client, API, **params)) == order, params


def test_pages_cover_the_results_once(client, catalogue):
    seen = []
    for page in (1, 2, 3):
        body = get_json(client, API, sort="title", per_page=2, page=page)
        assert (body["total"], body["page"], body["per_page"]) == (5, page, 2)
        assert len(body["items"]) == (2 if page < 3 else 1)
        seen += keys_of(body)
    assert seen == ["alpha", "bravo", "charlie", "delta", "echo"]
    past = get_json(client, API, sort="title", per_page=2, page=4)
    assert past["items"] == [] and past["total"] == 5
    assert len(get_json(client, API, per_page=100)["items"]) == 5
    assert keys_of(get_json(client, API, q="solar", per_page=1, page=2)) == ["delta"]


@pytest.mark.parametrize(
    "params, word",
    [
        ({"per_page": "101"}, "per_page"),
        ({"q": "a" * 201}, "q must be at most 200"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "-1"}, "per_page"),
        ({"per_page": "abc"}, "per_page"),
        ({"per_page": "2.5"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"page": "-3"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "99999999999999999999999"}, "page"),
        # int() reads these as numbers; no link writes them, and the API says so.
        ({"page": "1_0"}, "page"),
        ({"page": "+5"}, "page"),
        ({"page": "\u0661"}, "page"),  # Arabic-Indic one
        ({"per_page": "\uff11"}, "per_page"),  # full-width one
        ({"sort": "evil"}, "sort"),
        ({"kind": "nope"}, "kind"),
        ({"kind": ["initiative", "nope"]}, "nope"),
        ({"stakeholder": "aliens"}, "stakeholder"),
        ({"country": "XX"}, "country"),
        ({"country": "ke"}, "country"),  # codes are upper case; say so rather than guess
        ({"region": "mars"}, "region"),
        ({"theme": "<script>"}, "theme"),
        ({"sdg": "18"}, "sdg"),
        ({"sdg": "0"}, "sdg"),
        ({"sdg": "four"}, "sdg"),
    ],
)
def test_bad_parameters_are_400_json_with_a_message(client, params, word):
    body = get_json(client, API, status=400, **params)
    assert set(body) == {"error", "message", "status"} and body["status"] == 400
    assert word in body["message"]


# -- one item -----------------------------------------------------------------------------


def test_item_by_slug_is_the_list_item(client, catalogue):
    listed = {i["slug"]: i for i in get_json(client, API)["items"]}
    slug = catalogue["delta"].slug
    item = get_json(client, f"{API}/{slug}")
    assert item == listed[slug]
    assert item["title"] == TITLES["delta"] and item["kind_label"] == "Concrete action"
    assert item["countries"] == ["KE", "TZ"] and item["sdgs"] == [3, 7]
    assert "ada@example.org" not in str(item)  # the factory's contact e-mail


def test_non_public_and_unknown_slugs_are_404_json(client, owner, catalogue, create_submission_for):
    hidden = [catalogue["submitted"], catalogue["draft"]]
    for status in (Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN):
        hidden.append(create_submission_for(owner, status, title=f"Hidden {status}"))
    for slug in [*(s.slug for s in hidden), "no-such-slug", "x" * 500, "écoles-ü"]:
        body = get_json(client, f"{API}/{slug}", status=404)
        assert body["status"] == 404 and body["message"]


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/a%00b",  # NUL: PostgreSQL refuses it in a query parameter
        "/s/a%00b",
    ],
)
def test_slug_with_a_nul_byte_is_404_not_500(client, one_item, path):
    assert client.get(path).status_code == 404


def test_errors_are_json_never_html(client):
    for method, url, status in [
        ("post", API, 405),
        ("delete", f"{API}/x", 405),
        ("get", "/api/v1/nothing-here", 404),
        ("get", f"{API}/", 404),
        ("put", "/api/v1/openapi.json", 405),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == status
        assert response.mimetype == "application/json"
        body = response.get_json()
        assert body["status"] == status and body["message"]
        assert "<html" not in response.get_data(as_text=True).lower()


def test_odd_queries_answer_json(client, catalogue):
    for q in ["title:(", '"', "*", "a" * 200, "\x00", "OR OR", "😀", "[a TO z]", "ü*", "-"]:
        body = get_json(client, API, q=q)
        assert body["total"] >= 0 and isinstance(body["items"], list), q
    assert "200 characters" in get_json(client, API, status=400, q="a" * 3000)["message"]


# -- the OpenAPI document -----------------------------------------------------------------


@pytest.fixture
def spec(client) -> dict:
    return get_json(client, "/api/v1/openapi.json")


def schema_validator(spec: dict, pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the document, its $refs resolved."""
    registry = Registry().with_resource(
        "urn:hub-openapi", Resource(contents=spec, specification=DRAFT202012)
    )
    return Draft202012Validator(
        {"$ref": f"urn:hub-openapi#{pointer}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def response_schema(path: str, status: str) -> str:
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"/paths/{escaped}/get/responses/{status}/content/application~1json/schema"


def test_openapi_document_is_valid_and_describes_exactly_the_api(client, spec):
    validate_openapi(spec)  # raises on an invalid OpenAPI 3.1 document
    assert spec["openapi"].startswith("3.1.")
    assert set(spec["paths"]) == {"/submissions", "/submissions/{slug}", "/openapi.json"}
    assert all(set(ops) == {"get"} for ops in spec["paths"].values())
    server = spec["servers"][0]["url"]
    assert server.endswith("/api/v1")
    base = server.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{base}/openapi.json").status_code == 200
    params = {p["name"]: p for p in spec["paths"]["/submissions"]["get"]["parameters"]}
    assert set(params) == {"q", "only", *FACETS, "sort", "page", "per_page"}
    for name in FACETS:
        assert params[name]["schema"]["items"]["enum"] == list(vocabulary(name))
    assert params["per_page"]["schema"]["maximum"] == 100
    assert params["sort"]["schema"]["enum"] == ["relevance", "newest", "title"]


def test_documented_bounds_are_the_enforced_ones(client, spec):
    """What the document promises about page and per_page is exactly what the API does."""
    params = {p["name"]: p["schema"] for p in spec["paths"]["/submissions"]["get"]["parameters"]}
    for name in ("page", "per_page"):
        low, high = params[name]["minimum"], params[name]["maximum"]
        for value, status in ((low, 200), (high, 200), (low - 1, 400), (high + 1, 400)):
            assert client.get(API, query_string={name: value}).status_code == status, (name, value)
    longest = params["q"]["maxLength"]
    assert client.get(API, query_string={"q": "a" * longest}).status_code == 200
    assert client.get(API, query_string={"q": "a" * (longest + 1)}).status_code == 400
    sort = next(
        p for p in spec["paths"]["/submissions"]["get"]["parameters"] if p["name"] == "sort"
    )
    assert "relevance" in sort["description"] and "newest" in sort["description"]


def test_real_responses_match_the_documented_schemas(client, catalogue, spec):
    answers = [
        ("/submissions", "200", get_json(client, API)),
        ("/submissions", "200", get_json(client, API, q="solar", country="KE", per_page=1)),
        ("/submissions", "200", get_json(client, API, q="solr")),  # with a suggestion
        ("/submissions", "200", get_json(client, API, q=" ".join(["solar"] * 30))),  # a note
        ("/submissions", "400", get_json(client, API, status=400, per_page=101)),
        ("/submissions/{slug}", "200", get_json(client, f"{API}/{catalogue['alpha'].slug}")),
        (
            "/submissions/{slug}",
            "404",
            get_json(client, f"{API}/{catalogue['draft'].slug}", status=404),
        ),
    ]
    assert "suggestion" in answers[2][2] and "notes" in answers[3][2]
    for path, status, body in answers:
        validator = schema_validator(spec, response_schema(path, status))
        errors = [e.message for e in validator.iter_errors(body)]
        assert errors == [], (path, status, errors)


@pytest.mark.parametrize(
    "path, status, spoil",
    [
        ("/submissions", "200", lambda b: b.pop("total")),
        ("/submissions", "200", lambda b: b["items"][0].update(contact_email="x@example.org")),
        ("/submissions", "200", lambda b: b["items"][0].update(start_date="next week")),
        ("/submissions", "200", lambda b: b["items"][0].update(sdgs=["4"])),
        ("/submissions", "200", lambda b: b["facets"]["kind"][0].update(count="2")),
        ("/submissions", "400", lambda b: b.update(message=None)),
    ],
)
def test_the_schemas_reject_wrong_answers(client, one_item, spec, path, status, spoil):
    """The documented schemas are strict enough to catch a wrong or leaking answer."""
    body = get_json(client, API, status=int(status), **({"per_page": 0} if status == "400" else {}))
    spoil(body)
    assert list(schema_validator(spec, response_schema(path, status)).iter_errors(body))
