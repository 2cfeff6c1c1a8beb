"""The hub in the six UN languages: which language a request is in, and how it is chosen.

Order of choice: a language prefix in the address (/fr/browse: shareable, wins over all), the
`hub_lang` cookie (the switcher's choice), the account's language, Accept-Language (the
closest supported language: fr-CA → fr, zh-TW → zh), then English. Anything unreadable
(an unknown cookie, a malformed header, /xx/ prefixes) falls through to the next step, never
to an error.

The prefix is a WSGI middleware: it moves "/fr" from PATH_INFO to SCRIPT_NAME, so every
url_for on a French page stays under /fr/ and the views never see it. /en/… serves English
(a shared English link must beat a visitor's French cookie); unprefixed addresses negotiate.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Flask, current_app, has_app_context, has_request_context, redirect, request
from flask_babel import Babel, get_locale, get_translations, refresh
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

# The six UN languages, in the order the switcher shows them (each in its own name).
LANGUAGES: dict[str, str] = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
# BCP 47 tags for <html lang> and hreflang where the hub's code says less than the text is.
TAGS = {"zh": "zh-Hans"}
DEFAULT = "en"
RTL = frozenset({"ar"})
COOKIE = "hub_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
# The API and the open data (CSV, JSON, feed) are data: their labels stay in English.
DATA_BLUEPRINTS = frozenset({"api", "opendata"})
PREFIX_KEY = "hub.lang"  # WSGI environ: the language the address's prefix chose
ROOT_KEY = "hub.root"  # WSGI environ: SCRIPT_NAME before the language prefix


def N_(message: str) -> str:
    """Mark a string for the catalogues; it is translated where it is shown (gettext)."""
    return message


def supported(code: object) -> str | None:
    """`code` if it names a supported language (closest match: "fr-CA" → "fr"), else None."""
    if not isinstance(code, str) or not code or len(code) > 35:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


class LanguagePrefix:
    """WSGI middleware: "/fr/browse" is "/browse" in French, served under SCRIPT_NAME "/fr"."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        """Move a leading language segment from PATH_INFO to SCRIPT_NAME."""
        script = environ.get("SCRIPT_NAME", "")
        environ[ROOT_KEY] = script
        path = environ.get("PATH_INFO", "")
        first, _sep, rest = path.lstrip("/").partition("/")
        if path.startswith("/") and first in LANGUAGES:
            environ[PREFIX_KEY] = first
            environ["SCRIPT_NAME"] = f"{script}/{first}"
            environ["PATH_INFO"] = "/" + rest
        return self.wsgi_app(environ, start_response)


def prefix_language() -> str | None:
    """The language the address's prefix names, or None for an unprefixed address."""
    return request.environ.get(PREFIX_KEY) if has_request_context() else None


def select_language() -> str:
    """The request's language: prefix, cookie, account, Accept-Language, English."""
    if not has_request_context() or request.blueprint in DATA_BLUEPRINTS:
        return DEFAULT
    chosen = prefix_language() or supported(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    user_language = getattr(current_user, "language", None)
    if user_language and supported(user_language):
        return str(supported(user_language))
    try:
        # English first: "*" (any language) means the default.
        best = request.accept_languages.best_match([DEFAULT, *LANGUAGES])
    except (ValueError, TypeError):  # a header werkzeug could not read: English
        best = None
    return supported(best) or DEFAULT


def current_language() -> str:
    """The language in force (English outside requests), as a hub code (en, fr, zh, …)."""
    locale = get_locale() if has_app_context() else None
    return (supported(str(locale)) if locale else None) or DEFAULT


def date_locale() -> Locale:
    """The CLDR locale dates are written in: British English for English ("19 June 2026")."""
    language = current_language()
    return Locale.parse("en_GB" if language == DEFAULT else language)


def localized_path(language: str, path: str) -> str:
    """The address of `path` (a path on the hub, without prefix) in `language`."""
    root = request.environ.get(ROOT_KEY, "")
    return f"{root}/{language}{path}"


def alternates() -> list[tuple[str, str]]:
    """(hreflang, absolute address) of this page in every language, then x-default: on
    HUB_BASE_URL (the public address), never on the Host a request names."""
    base = str(current_app.config["HUB_BASE_URL"]).rstrip("/")
    path = request.full_path.rstrip("?") if request.query_string else request.path
    links = [(TAGS.get(code, code), f"{base}/{code}{path}") for code in LANGUAGES]
    return [*links, ("x-default", base + path)]


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """The forms of a plural message by CLDR category (one, few, many, other…), untouched
    (placeholders kept), for hub.js: it picks one with Intl.PluralRules."""
    locale = get_locale() or Locale.parse(DEFAULT)
    translations = get_translations()
    forms: dict[str, str] = {}
    for n in range(200):  # every category has a number below 200 in every CLDR language
        forms.setdefault(locale.plural_form(n), translations.ungettext(singular, plural, n))
    return forms


def js_messages() -> dict[str, Any]:
    """What hub.js writes, in the page's language (a JSON block of base.html)."""
    return {
        "days": plural_forms(
            "%(num)d day %(hours)s h %(minutes)s min left",
            "%(num)d days %(hours)s h %(minutes)s min left",
        ),
        "hours": _("%(hours)s h %(minutes)s min left"),
        "closed": _("submissions have closed: reload the page"),
        "yourTime": _("; your time: %(when)s"),
        "dateTime": _("%(date)s, %(time)s %(zone)s"),  # as hub.clock writes instants
        "similarLead": _("These published submissions look similar to yours:"),
        "similarNone": _("No similar published submission was found."),
        "kind": _("Kind: %(kind)s"),
        # The character counter of fields with a limit: plural by the limit, or by how many
        # characters are over it.
        "counter": plural_forms("%(used)s of %(num)d character", "%(used)s of %(num)d characters"),
        "counterOver": plural_forms(
            "%(used)s of %(limit)s characters: %(num)d too many",
            "%(used)s of %(limit)s characters: %(num)d too many",
        ),
        "similarFound": plural_forms(
            "%(num)d similar published submission found.",
            "%(num)d similar published submissions found.",
        ),
    }


def init_app(app: Flask) -> None:
    """Flask-Babel with the hub's choice of language; the prefix middleware; <html lang dir>."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_language)
    app.wsgi_app = LanguagePrefix(app.wsgi_app)  # type: ignore[method-assign]
    # Flask-Babel keeps the chosen locale in g, which a request shares with an app context
    # pushed around it (tests, CLI): each request chooses afresh, before anything renders.
    app.before_request_funcs.setdefault(None, []).insert(0, refresh)

    @app.context_processor
    def language_context() -> dict[str, Any]:
        language = current_language()
        return {
            "lang": language,
            "lang_tag": TAGS.get(language, language),
            "lang_dir": "rtl" if language in RTL else "ltr",
            "languages": LANGUAGES,
            "hreflang_alternates": alternates,
            "js_messages": js_messages,
        }

    @app.after_request
    def vary_on_language(response: Any) -> Any:
        # An unprefixed page depends on the cookie and the header: shared caches must know.
        if request.environ.get(PREFIX_KEY) is None:
            response.vary.update(("Accept-Language", "Cookie"))
        return response


def open_in_language(path: str, language: str) -> Response:
    """A redirect to `path` (an address without language prefix) in `language`, remembered
    in this browser's cookie so the chosen language wins over an earlier choice."""
    root = request.environ.get(ROOT_KEY, "")
    response = redirect(f"{root}{path}" if language == DEFAULT else f"{root}/{language}{path}")
    response.set_cookie(
        COOKIE,
        language,
        max_age=COOKIE_MAX_AGE,
        path="/",
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response
