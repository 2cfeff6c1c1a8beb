"""A submission's logo: what is refused (and how), what is stored, who sees it, and how an
approved submission's new logo waits for a moderator. Every image is drawn here, by Pillow."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from hub.auth.models import User
from hub.extensions import db
from hub.moderation.operations import decide_revision
from hub.submissions.images import LOGO_MAX_BYTES
from hub.submissions.models import Logo, Status, Submission
from hub.submissions.revisions import Revision, RevisionStatus

from helpers import PASSWORD, Browser, detail_id, expect, field_error, field_value, form_data, row


@pytest.fixture
def owner(create_user: Any, auth: Any) -> User:
    """A logged-in submitter."""
    user = create_user(name="Olga Owner")
    expect(auth.login(user), 302)
    return user


def drawn(fmt: str = "PNG", size: tuple[int, int] = (800, 400), **save: Any) -> bytes:
    """A picture in `fmt`, drawn now."""
    mode = "RGBA" if fmt in ("PNG", "WEBP") else "RGB"
    out = io.BytesIO()
    Image.new(mode, size, (20, 90, 160, 255) if mode == "RGBA" else (20, 90, 160)).save(
        out, fmt, **save
    )
    return out.getvalue()


def with_logo(data: bytes, name: str = "logo.png", **fields: Any) -> dict[str, Any]:
    """A complete form post carrying `data` as the logo file."""
    return {**form_data(**fields), "logo_file": (io.BytesIO(data), name)}


def refused(client: Any, data: dict[str, Any]) -> str:
    """The page answering a new form's post with a refused logo (a 400). The body is built
    in memory: the test client would spool a large one to a file it leaves open."""
    parts = {
        name: FileStorage(value[0], value[1]) if isinstance(value, tuple) else value
        for name, value in data.items()
    }
    boundary, body = encode_multipart(MultiDict(parts))
    response = client.post(
        "/submit/initiative", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    return expect(response, 400).text


def logo_urls(page: str) -> list[str]:
    """The addresses of the logos a page shows."""
    return re.findall(r'<img class="logo[^"]*" src="([^"]+)"', page)


def stored_logo(app: Any, submission_id: int) -> Logo | None:
    """The logo the submission shows (its public one once approved)."""
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        assert submission is not None
        if submission.logo_id is None:
            return None
        logo = db.session.get(Logo, submission.logo_id)
        assert logo is not None
        _ = logo.data
        db.session.expunge(logo)
        return logo


def path_of(logo: Logo) -> str:
    """The address the hub serves `logo` at."""
    return f"/logos/{logo.id}/{logo.sha256}"


# --- What is accepted, and what is stored ------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_a_logo_is_stored_re_encoded_at_most_512_pixels(app, client, owner, fmt, mime):
    response = expect(client.post("/submit/initiative", data=with_logo(drawn(fmt))), 302)

    logo = stored_logo(app, detail_id(response))
    assert logo is not None
    assert (logo.mime_type, logo.width, logo.height) == (mime, 512, 256)
    assert Image.open(io.BytesIO(logo.data)).size == (512, 256)


def test_a_small_logo_keeps_its_size(app, client, owner):
    response = expect(client.post("/submit/initiative", data=with_logo(drawn(size=(120, 80)))), 302)
    logo = stored_logo(app, detail_id(response))
    assert logo is not None and (logo.width, logo.height) == (120, 80)


def test_re_encoding_strips_exif_and_turns_the_photo_upright(app, client, owner):
    exif = Image.Exif()
    exif[0x010E] = "Taken at 46.2044 N, 6.1432 E"  # ImageDescription
    exif[0x0112] = 6  # Orientation: rotated 90°
    photo = drawn("JPEG", size=(600, 300), exif=exif.tobytes())

    response = expect(client.post("/submit/initiative", data=with_logo(photo, "p.jpg")), 302)

    logo = stored_logo(app, detail_id(response))
    assert logo is not None
    kept = Image.open(io.BytesIO(logo.data))
    assert dict(kept.getexif()) == {}
    assert b"46.2044" not in logo.data
    assert "icc_profile" not in kept.info and "exif" not in kept.info
    assert kept.size == (256, 512)  # upright, then scaled


def test_text_chunks_and_icc_profiles_are_not_kept(app, client, owner):
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-comment")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret-xmp</x:xmpmeta>")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = drawn("PNG", size=(64, 64), pnginfo=info, icc_profile=srgb)

    response = expect(client.post("/submit/initiative", data=with_logo(image)), 302)

    logo = stored_logo(app, detail_id(response))
    assert logo is not None
    assert b"secret" not in logo.data
    kept = Image.open(io.BytesIO(logo.data))
    assert "icc_profile" not in kept.info and not getattr(kept, "text", {})


def test_an_animation_keeps_its_first_frame(app, client, owner):
    frames = [Image.new("RGB", (40, 40), colour) for colour in ("red", "blue", "green")]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])

    response = expect(client.post("/submit/initiative", data=with_logo(out.getvalue())), 302)

    logo = stored_logo(app, detail_id(response))
    assert logo is not None
    kept = Image.open(io.BytesIO(logo.data))
    assert getattr(kept, "n_frames", 1) == 1
    assert kept.convert("RGB").getpixel((5, 5)) == (255, 0, 0)


# --- What is refused -----------------------------------------------------------------------


def _svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, "PNG")  # 36 Mpx, a few kilobytes
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def _too_large() -> bytes:
    return drawn("PNG", size=(40, 40))[:-12] + b"\0" * (LOGO_MAX_BYTES + 1)


REFUSED = {
    "svg": (_svg, "must be a PNG, JPEG or WebP image"),
    "gif": (_gif, "must be a PNG, JPEG or WebP image"),
    "html with a png signature": (
        lambda: b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
        "must be a PNG, JPEG or WebP image",
    ),
    "png with a zip appended": (
        lambda: drawn("PNG") + b"PK\x03\x04" + b"\0" * 40,
        "other data after the end of the image",
    ),
    "jpeg with html appended": (
        lambda: drawn("JPEG") + b"<html><script>alert(1)</script>",
        "other data after the end of the image",
    ),
    "webp with a script appended": (
        lambda: drawn("WEBP") + b"<script>alert(1)</script>",
        "other data after the end of the image",
    ),
    "truncated png": (lambda: drawn("PNG")[:-40], "damaged or incomplete"),
    "decompression bomb": (_bomb, "too many pixels"),
    "larger than 2 MB": (_too_large, "larger than 2 MB"),
    "empty file": (lambda: b"", "The logo file is empty."),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_bad_image_is_refused_by_the_field_and_keeps_the_text(app, client, owner, case):
    make, message = REFUSED[case]
    data = with_logo(make(), "logo.png", title="Solar schools")

    page = refused(client, data)

    assert message in field_error(page, "logo_file")
    assert 'aria-invalid="true"' in page
    assert field_value(page, "title") == "Solar schools"
    with app.app_context():
        assert db.session.scalars(select(Submission)).all() == []
        assert db.session.scalars(select(Logo)).all() == []


def test_no_file_chosen_is_no_logo(app, client, owner):
    # What a browser sends when no file was chosen: an empty part without a file name.
    response = expect(client.post("/submit/initiative", data=with_logo(b"", "")), 302)
    assert stored_logo(app, detail_id(response)) is None


def test_a_photo_far_over_2_mb_gets_the_message_by_the_field(app, client, owner):
    big = drawn("PNG", size=(40, 40))[:-12] + b"\0" * (3 * LOGO_MAX_BYTES)

    page = refused(client, with_logo(big, title="Kept"))

    assert "larger than 2 MB" in field_error(page, "logo_file")
    assert field_value(page, "title") == "Kept"


def test_a_file_in_another_field_is_still_refused_as_a_whole(app, client, owner):
    data = {**form_data(), "title": (io.BytesIO(drawn()), "logo.png")}
    expect(client.post("/submit/initiative", data=data), 400)
    with app.app_context():
        assert db.session.scalars(select(Submission)).all() == []


# --- Who sees it, and how it is served -------------------------------------------------------


def test_a_drafts_logo_is_seen_by_its_owner_and_moderators_only(app, client, owner, moderator):
    response = expect(client.post("/submit/initiative", data=with_logo(drawn())), 302)
    item = detail_id(response)
    url = logo_urls(expect(client.get(f"/my/{item}"), 200).text)[0]

    mine = expect(client.get(url), 200)
    assert mine.headers["Content-Type"] == "image/png"
    assert mine.headers["Cache-Control"] == "private, no-store"
    assert Browser(app).get(url).status_code == 404
    assert expect(Browser(app, moderator).get(url), 200).data == mine.data
    assert expect(Browser(app, moderator).get(f"/moderation/{item}"), 200)


def test_a_published_logo_is_public_with_safe_headers(app, client, owner, create_submission_for):
    response = expect(client.post("/submit/initiative", data=with_logo(drawn())), 302)
    item = detail_id(response)
    _approve(app, item)
    public = row(app, item)
    page = expect(Browser(app).get(f"/s/{public.slug}"), 200).text
    url = logo_urls(page)[0]
    assert 'alt="Logo of ' in page

    served = expect(Browser(app).get(url), 200)

    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"] == "inline"
    assert "immutable" in served.headers["Cache-Control"]
    etag = served.headers["ETag"]
    assert Browser(app).get(url, headers={"If-None-Match": etag}).status_code == 304
    assert Browser(app).get(url[:-1] + "0").status_code == 404  # another digest
    for listing in ("/", "/browse", "/search?q=skills"):
        assert url in Browser(app).get(listing).text, listing
    # One address whatever the page's language (one copy in caches).
    assert logo_urls(Browser(app).get(f"/ar/s/{public.slug}").text) == [url]
    record = Browser(app).get(f"/api/v1/submissions/{public.slug}").get_json()
    assert record["logo_url"].endswith(url)


def test_a_withdrawn_submissions_logo_is_no_longer_public(app, client, owner):
    response = expect(client.post("/submit/initiative", data=with_logo(drawn())), 302)
    item = detail_id(response)
    _approve(app, item)
    url = logo_urls(expect(client.get(f"/my/{item}"), 200).text)[0]
    assert Browser(app).get(url).status_code == 200

    expect(client.post(f"/my/{item}/withdraw"), 302)

    assert Browser(app).get(url).status_code == 404


# --- Editing: replace, remove, and the review of a published one ---------------------------


def test_a_draft_logo_is_replaced_and_removed(app, client, owner):
    response = expect(
        client.post("/submit/initiative", data=with_logo(drawn(), action="draft")), 302
    )
    item = detail_id(response)
    first = stored_logo(app, item)

    expect(client.post(f"/my/{item}/edit", data=with_logo(drawn("JPEG"), "l.jpg")), 302)
    second = stored_logo(app, item)
    assert first is not None and second is not None and second.mime_type == "image/jpeg"
    form = expect(client.get(f"/my/{item}/edit"), 200).text
    assert 'name="remove_logo"' in form and 'enctype="multipart/form-data"' in form

    expect(client.post(f"/my/{item}/edit", data={**form_data(), "remove_logo": "y"}), 302)
    assert stored_logo(app, item) is None
    with app.app_context():  # the replaced and removed images are not kept
        assert db.session.scalars(select(Logo)).all() == []


def test_a_new_logo_of_a_published_submission_waits_for_review(app, client, owner, moderator):
    response = expect(client.post("/submit/initiative", data=with_logo(drawn())), 302)
    item = detail_id(response)
    _approve(app, item)
    public = stored_logo(app, item)
    assert public is not None

    expect(client.post(f"/my/{item}/edit", data=with_logo(drawn("WEBP"), "l.webp")), 302)
    # A later edit of the text keeps the logo waiting with it.
    expect(client.post(f"/my/{item}/edit", data=form_data(title="Solar schools, again")), 302)

    assert stored_logo(app, item).id == public.id  # type: ignore[union-attr]
    slug = row(app, item).slug
    assert logo_urls(Browser(app).get(f"/s/{slug}").text) == [path_of(public)]
    review = expect(Browser(app, moderator).get(f"/moderation/{item}"), 200).text
    assert "Proposed logo" in review
    proposed = [u for u in logo_urls(review) if u != path_of(public)]
    assert proposed and Browser(app).get(proposed[0]).status_code == 404
    assert expect(Browser(app, moderator).get(proposed[0]), 200)

    with app.app_context():
        revision = db.session.scalars(
            select(Revision).where(Revision.status == RevisionStatus.PENDING)
        ).one()
        decide_revision(revision, db.session.get(User, moderator.id), approve=True)
        db.session.commit()

    now = stored_logo(app, item)
    assert now is not None and now.mime_type == "image/webp"
    assert Browser(app).get(proposed[0]).status_code == 200
    assert Browser(app).get(path_of(public)).status_code == 404  # the old one is gone


def _approve(app: Any, item: int) -> None:
    """Publish a submission as the factory's moderator would."""
    from hub.auth.models import Role
    from hub.auth.operations import create_user as op_create_user
    from hub.moderation.operations import approve_submission

    with app.app_context():
        referee = op_create_user(
            f"ref{item}@example.org", "a-long-password", "Ref", "", Role.MODERATOR
        )
        submission = db.session.get(Submission, item)
        assert submission is not None and submission.status is Status.SUBMITTED
        approve_submission(submission, referee)
        db.session.commit()


def test_a_post_without_a_file_keeps_the_usual_size_limit(app, client, owner):
    too_long = form_data(description="x" * (app.config["MAX_CONTENT_LENGTH"] + 10))
    expect(client.post("/submit/initiative", data=too_long), 413)


def test_deleting_the_account_deletes_a_drafts_logo(app, client, owner):
    response = client.post("/submit/initiative", data=with_logo(drawn(), action="draft"))
    item = detail_id(expect(response, 302))
    assert stored_logo(app, item) is not None

    assert client.get("/account/delete").status_code == 200
    expect(client.post("/account/delete", data={"password": PASSWORD}), 302)

    with app.app_context():
        assert db.session.get(Submission, item) is None
        assert db.session.scalars(select(Logo)).all() == []
