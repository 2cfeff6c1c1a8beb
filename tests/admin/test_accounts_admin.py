"""The admin page of accounts: who may see it, search, roles, deactivation, the last admin."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from hub.admin.operations import LastAdmin, change_role
from hub.audit.models import Action
from hub.auth.models import Role, User
from hub.extensions import db

from helpers import PASSWORD, Browser, events, expect, flash_messages, outbox, page_text, rows


def _user(app, user_id: int) -> User:
    with app.app_context():
        row = db.session.get(User, user_id)
        db.session.expunge(row)
        return row


# --- Who may see it -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["submitter", "moderator"])
def test_other_accounts_get_403_on_every_admin_address(client, auth, create_user, role):
    someone = create_user(role=role)
    auth.login(someone)
    for path in ("/admin/accounts", f"/admin/accounts/{someone.id}"):
        expect(client.get(path), 403)
    expect(client.post(f"/admin/accounts/{someone.id}/role", data={"role": "admin"}), 403)
    expect(client.post(f"/admin/accounts/{someone.id}/active", data={"action": "deactivate"}), 403)


def test_visitors_are_sent_to_log_in(client):
    assert "/account/login" in expect(client.get("/admin/accounts"), 302).location


def test_an_admin_finds_the_page_from_the_moderation_menu(client, auth, admin):
    auth.login(admin)
    assert 'href="/admin/accounts"' in client.get("/moderation/").text


def test_every_post_needs_its_csrf_token(make_app, create_user, admin):
    app = make_app(WTF_CSRF_ENABLED=True)
    target = create_user()
    client = app.test_client()
    page = client.get("/account/login").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/account/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
    )
    expect(client.post(f"/admin/accounts/{target.id}/role", data={"role": "admin"}), 400)
    assert _user(app, target.id).role is Role.SUBMITTER


# --- Search ---------------------------------------------------------------------------------


def test_search_by_email_name_and_organisation(app, client, auth, admin, create_user):
    create_user(email="ines@ministry.example", name="Inès Ortega")
    with app.app_context():
        bob = create_user(email="bob@example.org", name="Bob Builder")
        db.session.get(User, bob.id).organisation = "Ministère de l'Écologie"
        db.session.commit()
    auth.login(admin)
    for query, found, not_found in (
        ("MINISTRY", "ines@ministry.example", "bob@example.org"),
        ("inès", "ines@ministry.example", "bob@example.org"),
        ("écologie", "bob@example.org", "ines@ministry.example"),
    ):
        page = expect(client.get("/admin/accounts", query_string={"q": query}), 200).text
        assert found in page and not_found not in page, query
    # LIKE's wildcards are taken literally.
    assert "No account matches." in client.get("/admin/accounts?q=%25").text


def test_the_list_is_paged(client, auth, admin, create_user):
    for n in range(55):
        create_user(email=f"p{n:02d}@example.org")
    auth.login(admin)
    first = client.get("/admin/accounts?q=example.org").text
    assert "p00@example.org" in first and "p55@example.org" not in first
    assert "Page 1 of 2" in page_text(first)
    second = client.get("/admin/accounts?q=example.org&page=2").text
    assert "p54@example.org" in second and "p00@example.org" not in second
    # A page past the end or not a number shows the last or the first page, never an error.
    assert "Page 2 of 2" in page_text(client.get("/admin/accounts?q=example.org&page=99").text)
    assert "Page 1 of 2" in page_text(client.get("/admin/accounts?q=example.org&page=x").text)


# --- Roles ----------------------------------------------------------------------------------


def test_an_admin_grants_and_revokes_roles_and_it_is_audited(app, client, auth, admin, create_user):
    someone = create_user()
    auth.login(admin)
    done = expect(
        client.post(f"/admin/accounts/{someone.id}/role", data={"role": "moderator"}), 303
    )
    assert any("Moderator" in m for m in flash_messages(client.get(done.location)))
    assert _user(app, someone.id).role is Role.MODERATOR
    client.post(f"/admin/accounts/{someone.id}/role", data={"role": "admin"})
    client.post(f"/admin/accounts/{someone.id}/role", data={"role": "submitter"})
    changes = [
        (e.from_status, e.to_status, e.actor_id, e.subject_user_id)
        for e in events(app)
        if e.action is Action.ROLE_CHANGED
    ]
    assert changes == [
        ("submitter", "moderator", admin.id, someone.id),
        ("moderator", "admin", admin.id, someone.id),
        ("admin", "submitter", admin.id, someone.id),
    ]


def test_bad_input_changes_nothing(app, client, auth, admin, create_user):
    someone = create_user()
    auth.login(admin)
    expect(client.post(f"/admin/accounts/{someone.id}/role", data={"role": "superuser"}), 422)
    expect(client.post(f"/admin/accounts/{someone.id}/role", data={}), 422)
    expect(client.post(f"/admin/accounts/{someone.id}/active", data={"action": "explode"}), 422)
    expect(client.get("/admin/accounts/999999"), 404)
    expect(client.post("/admin/accounts/999999/role", data={"role": "admin"}), 404)
    row = _user(app, someone.id)
    assert row.role is Role.SUBMITTER and row.deactivated_at is None


def test_the_last_admin_cannot_be_demoted_or_deactivated(app, client, auth, admin):
    auth.login(admin)
    refused = expect(
        client.post(f"/admin/accounts/{admin.id}/role", data={"role": "moderator"}), 409
    )
    assert "last active administrator" in page_text(refused.text)
    refused = expect(
        client.post(f"/admin/accounts/{admin.id}/active", data={"action": "deactivate"}), 409
    )
    assert "last active administrator" in page_text(refused.text)
    row = _user(app, admin.id)
    assert row.role is Role.ADMIN and row.deactivated_at is None


def test_a_deactivated_admin_does_not_count_as_the_other_admin(
    app, client, auth, admin, create_user
):
    other = create_user(role="admin")
    auth.login(admin)
    expect(client.post(f"/admin/accounts/{other.id}/active", data={"action": "deactivate"}), 303)
    expect(client.post(f"/admin/accounts/{admin.id}/role", data={"role": "moderator"}), 409)
    # With a second active admin, the first may step down.
    expect(client.post(f"/admin/accounts/{other.id}/active", data={"action": "reactivate"}), 303)
    expect(client.post(f"/admin/accounts/{admin.id}/role", data={"role": "moderator"}), 303)
    assert _user(app, admin.id).role is Role.MODERATOR


def test_two_admins_demoting_each_other_at_once_leave_one(app, admin, create_user):
    other = create_user(role="admin")
    first_done, results = threading.Event(), {}

    def demote(target_id: int, actor_id: int, name: str, wait: bool) -> None:
        # Each in a writing request of its own, as two admins' posts would be.
        with app.test_request_context(method="POST"):
            if wait:
                first_done.wait(5)
            try:
                change_role(
                    db.session.get(User, target_id), Role.MODERATOR, db.session.get(User, actor_id)
                )
                if not wait:
                    first_done.set()  # holds its locks a moment, uncommitted
                    threading.Event().wait(0.5)
                db.session.commit()
                results[name] = "demoted"
            except LastAdmin:
                db.session.rollback()
                results[name] = "refused"
            finally:
                first_done.set()

    threads = [
        threading.Thread(target=demote, args=(admin.id, other.id, "a", False)),
        threading.Thread(target=demote, args=(other.id, admin.id, "b", True)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results.values()) == ["demoted", "refused"]
    with app.app_context():
        admins = db.session.scalars(select(User).where(User.role == Role.ADMIN)).all()
    assert len(admins) == 1


# --- Deactivation ---------------------------------------------------------------------------


def test_deactivation_ends_sessions_and_logins_but_keeps_submissions(
    app, admin, create_user, create_submission_for
):
    someone = create_user()
    item = create_submission_for(someone, status="approved")
    # Each request in an app context of its own, as in two real browsers.
    theirs, admins = Browser(app, someone), Browser(app, admin)
    expect(theirs.get("/my/"), 200)
    expect(admins.post(f"/admin/accounts/{someone.id}/active", data={"action": "deactivate"}), 303)
    # Their open session has ended, and the password no longer logs in.
    assert "/account/login" in theirs.get("/my/").location
    refused = theirs.post("/account/login", data={"email": someone.email, "password": PASSWORD})
    assert "deactivated" in page_text(expect(refused, 403).text)
    # Their submission stays, published.
    assert [(s.id, s.status.value) for s in rows(app)] == [(item.id, "approved")]
    assert item.title in expect(Browser(app).get("/browse"), 200).text
    actions = [e.action for e in events(app) if e.subject_user_id == someone.id]
    assert Action.ACCOUNT_DEACTIVATED in actions
    page = admins.get(f"/admin/accounts/{someone.id}").text
    assert "Deactivated since" in page_text(page)
    expect(admins.post(f"/admin/accounts/{someone.id}/active", data={"action": "reactivate"}), 303)
    assert [e.action for e in events(app)][-1] is Action.ACCOUNT_REACTIVATED
    again = theirs.post("/account/login", data={"email": someone.email, "password": PASSWORD})
    assert expect(again, 302).location.endswith("/my/")


def test_a_deactivated_moderator_gets_no_digest(app, create_user, create_submission_for):
    from hub.moderation.digest import queue_moderator_digest

    active = create_user(role="moderator", email="active-mod@example.org")
    gone = create_user(role="moderator", email="gone-mod@example.org")
    with app.app_context():
        db.session.get(User, gone.id).deactivated_at = db.session.get(User, gone.id).created_at
        db.session.commit()
    create_submission_for(create_user(), status="submitted")
    with app.test_request_context():
        assert queue_moderator_digest() >= 1
        db.session.commit()
    digests = {m.to_addr for m in outbox(app) if m.kind == "digest"}
    assert active.email in digests and gone.email not in digests
