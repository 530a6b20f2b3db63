"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from recruit import audit
from recruit.auth import services, throttle
from recruit.auth import two_factor as two_factor_service
from recruit.auth.access import EVERYONE, public, roles
from recruit.auth.forms import CodeForm, ConfirmForm, LoginForm, PasswordChangeForm
from recruit.auth.passwords import verify_password
from recruit.errors import RecruitError
from recruit.extensions import csrf, db, login_manager
from recruit.models import Role, User
from recruit.models.base import utcnow
from recruit.qr import qr_svg

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the user named by the session, refusing cookies from an ended session."""
    try:
        id_part, version_part = user_id.split(":")
        user = db.session.get(User, int(id_part))
        version = int(version_part)
    except ValueError:
        return None
    if user is None or user.session_version != version or not user.is_active_user:
        return None
    return user


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in with email and password (then a second factor, when the user has one)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        email, address = form.email.data, request.remote_addr
        if minutes := throttle.minutes_locked(email, address):
            error = (f"Too many failed attempts to sign in. Try again in {minutes} "
                     f"minute{'s' if minutes != 1 else ''}.")
        else:
            user = services.authenticate(email, form.password.data)
            if user is None:
                throttle.record_failure(email, address)
                error = "Enter a correct email address and password"
            else:
                throttle.record_success(email)
            db.session.commit()
            if user is not None and user.totp_enabled_at is not None:
                session.clear()
                session["pending_user"] = user.get_id()
                return redirect(url_for("auth.two_factor", next=request.args.get("next")))
            if user is not None:
                _start_session(user)
                return redirect(_safe_next(request.args.get("next")))
    elif request.args.get("expired"):
        error = "Your session ended because it was idle or too long. Sign in again."
    return render_template("auth/login.html", form=form, login_error=error)


def _start_session(user: User) -> None:
    session.clear()  # a fresh session: nothing from before sign-in carries over
    login_user(user, remember=False)
    session["started_at"] = session["last_seen_at"] = utcnow().timestamp()


@bp.route("/login/two-factor", methods=["GET", "POST"])
@public
def two_factor():
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = load_user(session.get("pending_user", ""))
    if user is None:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if minutes := throttle.minutes_locked(user.email, request.remote_addr):
            form.code.errors.append(f"Too many failed attempts. Try again in {minutes} minutes.")
        elif two_factor_service.verify(user, form.code.data):
            throttle.record_success(user.email)
            db.session.commit()
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        else:
            throttle.record_failure(user.email, request.remote_addr)
            audit.record("two_factor_failed", user, actor=user)
            db.session.commit()
            form.code.errors.append("Enter the 6-digit code from your authenticator app, "
                                    "or one of your recovery codes")
    return render_template("auth/two_factor.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@roles(EVERYONE)
def two_factor_setup():
    """Turn on the second factor: scan the code, confirm with a code, keep the recovery codes."""
    user = current_user._get_current_object()
    if user.totp_enabled_at is not None:
        return render_template("auth/two_factor_status.html", confirm=ConfirmForm())
    secret = session.get("totp_setup_secret") or two_factor_service.new_secret()
    session["totp_setup_secret"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if (step := two_factor_service.matching_step(secret, form.code.data)) is not None:
            codes = two_factor_service.enable(user, secret, used_step=step)
            db.session.commit()
            session.pop("totp_setup_secret", None)
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append("That code is not right. Check the time on your phone is "
                                "correct and enter the newest code.")
    uri = two_factor_service.provisioning_uri(user, secret)
    return render_template("auth/two_factor_setup.html", form=form, secret=secret,
                           qr=qr_svg(uri, "QR code for your authenticator app"))


@bp.route("/account/two-factor/off", methods=["POST"])
@roles(EVERYONE)
def two_factor_off():
    """Turn the second factor off (not allowed for admins, for whom it is required)."""
    user = current_user._get_current_object()
    form = ConfirmForm()
    if form.validate_on_submit():
        if user.role is Role.admin and current_app.config["ADMIN_TWO_FACTOR_REQUIRED"]:
            flash("Admins must keep two-factor authentication turned on.", "error")
        else:
            two_factor_service.disable(user, actor=user)
            db.session.commit()
            flash("Two-factor authentication is off.", "success")
    return redirect(url_for("auth.two_factor_setup"))


@bp.route("/logout", methods=["POST"])
@csrf.exempt  # the NHS header's sign-out form cannot carry a token; signing out is harmless
@roles(EVERYONE)
def logout():
    """Sign out everywhere: every copy of this session stops working."""
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@roles(EVERYONE)
def change_password():
    """Change one's own password; every other session ends."""
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append("Your current password is not correct")
        else:
            try:
                services.set_password(user, form.new_password.data, actor=user)
            except RecruitError as exc:
                form.new_password.errors.append(exc.message)
            else:
                db.session.commit()
                login_user(user, remember=False)  # this session continues
                flash("Your password has been changed.", "success")
                return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)
