from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Email("Enter a valid email address")],
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password"), Length(max=256)]
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password")]
    )
    new_password = PasswordField(
        "New password",
        description="At least 12 characters. A few unrelated words make a strong password.",
        validators=[
            DataRequired("Enter a new password"),
            Length(min=12, max=256, message="Password must be between 12 and 256 characters"),
        ],
    )


class ConfirmForm(FlaskForm):
    """An empty form: a POST-only button carrying only the CSRF token."""


class CodeForm(FlaskForm):
    code = StringField(
        "Security code",
        description="The 6-digit code from your authenticator app, or a recovery code",
        validators=[DataRequired("Enter the security code"), Length(max=20)],
    )
