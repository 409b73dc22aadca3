"""Applicant accounts on the public site: sign up, confirm, log in, reset the password."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vokasi.core.models import User
from vokasi.core.roles import Role
from vokasi.core.throttle import failure, failures_exceeded, failures_forget, throttled
from vokasi.intake.accounts import (
    AccountError,
    account_confirm,
    applicant_signup,
    code_send,
    parse_contact,
    password_reset,
    password_reset_request,
)
from vokasi.intake.models import ConfirmationCode
from vokasi.portal.account_forms import (
    CodeForm,
    ContactAuthenticationForm,
    ResetForm,
    ResetRequestForm,
    SignupForm,
)

_PENDING = "pending_user_id"
# Where to go once the account is confirmed: the page that asked for an account, such as
# the application form with the batch the visitor chose ("Daftar" on ALB-2026-1).
_NEXT = "pending_next"
_TOO_MANY = _("Too many attempts. Please wait ten minutes and try again.")


def _account_key(contact: str) -> str:
    """One throttle counter per account however its contact is written."""
    try:
        return parse_contact(contact).address
    except AccountError:
        return contact.strip().lower()


def safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` if it is a page of this site (a path, not another host), else ""."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return url


def remember_next(request: HttpRequest, url: str | None) -> None:
    """Keeps a safe `url` in the session for after the confirmation (or forgets an old one)."""
    url = safe_next(request, url)
    if url:
        request.session[_NEXT] = url
    else:
        request.session.pop(_NEXT, None)


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        if throttled(request, "signup", limit=5):
            form.add_error(None, _TOO_MANY)
        else:
            try:
                user = applicant_signup(
                    contact=form.cleaned_data["contact"],
                    password=form.cleaned_data["password"],
                    language=get_language() or "id",
                )
            except AccountError as error:
                form.add_error(None, str(error))
            else:
                request.session[_PENDING] = user.pk
                remember_next(request, next_url)
                return redirect("portal:confirm")
    return render(request, "portal/signup.html", {"form": form, "next": next_url})


def confirm(request: HttpRequest) -> HttpResponse:
    user = User.objects.filter(pk=request.session.get(_PENDING) or 0, role=Role.APPLICANT).first()
    if user is None:
        return redirect("portal:signup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("resend"):
        if throttled(request, "code", account=user.username, limit=3):
            messages.error(request, _TOO_MANY)
        else:
            try:
                code_send(
                    user=user,
                    purpose=ConfirmationCode.Purpose.CONFIRM,
                    language=get_language() or "id",
                )
            except AccountError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("A new code is on its way."))
        return redirect("portal:confirm")
    if request.method == "POST" and form.is_valid():
        try:
            account_confirm(user=user, code=form.cleaned_data["code"])
        except AccountError as error:
            form.add_error("code", str(error))
        else:
            next_url = safe_next(request, request.session.pop(_NEXT, ""))
            del request.session[_PENDING]
            # login() cycles the session key but keeps its data; next_url is read before.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is confirmed. Now fill in your application."))
            return redirect(next_url or "portal:apply")
    return render(request, "portal/confirm.html", {"form": form, "contact": user.username})


class LoginView(auth_views.LoginView):
    form_class = ContactAuthenticationForm

    def _account(self) -> str:
        name = str(self.request.POST.get("username", ""))
        with contextlib.suppress(AccountError):
            name = parse_contact(name).address
        return name.lower()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if failures_exceeded(request, "login", account=self._account(), limit=10):
            # Not even a correct password is checked now: a guesser learns nothing. The
            # form is shown again with the name only.
            form = self.form_class(request, data={"username": request.POST.get("username", "")})
            form.is_valid()
            form.errors.pop("password", None)
            form.add_error(None, _TOO_MANY)
            return super().form_invalid(form)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Sent here from "Apply" on the public site: say why, and where to sign up.
        target = urlsplit(str(context.get("next", ""))).path
        context["applying"] = target == reverse("portal:apply")
        return context

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        failure(self.request, "login", account=self._account())
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        failures_forget("login", account=self._account())
        user = form.get_user()
        if user.role == Role.APPLICANT and user.confirmed_at is None:
            self.request.session[_PENDING] = user.pk
            remember_next(self.request, self.get_redirect_url())
            return redirect("portal:confirm")
        return super().form_valid(form)

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if isinstance(user, User) and user.role == Role.APPLICANT:
            return reverse("portal:application_status")
        # Instructors and assessors start where their work is, not on the centre's figures.
        if isinstance(user, User) and user.role == Role.INSTRUCTOR:
            return reverse("backoffice:my_sessions")
        if isinstance(user, User) and user.role == Role.ASSESSOR:
            return reverse("backoffice:my_batches")
        return super().get_default_redirect_url()


def reset_request(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttled(request, "reset", account=_account_key(form.cleaned_data["contact"]), limit=3):
            form.add_error(None, _TOO_MANY)
        else:
            password_reset_request(
                contact=form.cleaned_data["contact"], language=get_language() or "id"
            )
            messages.info(request, _("If an account has this contact, a code is on its way."))
            return redirect("portal:reset")
    return render(
        request, "portal/simple_form.html", {"form": form, "title": _("Forgot your password?")}
    )


def reset(request: HttpRequest) -> HttpResponse:
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttled(
            request, "reset-code", account=_account_key(form.cleaned_data["contact"]), limit=5
        ):
            form.add_error(None, _TOO_MANY)
        else:
            try:
                password_reset(
                    contact=form.cleaned_data["contact"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password"],
                )
            except AccountError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your password is changed. Log in with it."))
                return redirect("login")
    return render(
        request, "portal/simple_form.html", {"form": form, "title": _("Choose a new password")}
    )
