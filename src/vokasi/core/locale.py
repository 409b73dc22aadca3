from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_noop

# Strings of Django itself that its Indonesian catalogue lacks: listed here so that
# makemessages puts them in ours, which is looked up first.
DJANGO_GAPS = (
    gettext_noop("- Select an option -"),  # the blank choice of select fields (Django 6.1)
)


class LanguageMiddleware:
    """Bahasa Indonesia unless the visitor chose English with the switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many
    phones in Indonesia are set to English, yet the centre's forms, letters and staff
    speak Indonesian, and the choice is one tap away on every page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.known = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.known else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
