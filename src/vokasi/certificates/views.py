"""Public verification of training certificates, the Open Badges download, and the
graduate's own certificates page in the portal."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from vokasi.certificates import signing
from vokasi.certificates.models import CertificateState, SigningKey, TrainingCertificate
from vokasi.certificates.pdf import certificate_pdf
from vokasi.certificates.selectors import applicant_certificates, verification
from vokasi.certificates.services import (
    format_code,
    issuer_url,
    normalise_code,
    open_badge,
)
from vokasi.certificates.status_list import status_list_credential
from vokasi.core.throttle import throttled

# `throttled` allows three times the limit per IP (an office shares one address), so 60
# lookups per IP per ten minutes: plenty for an employer checking a stack of applications,
# far too few to walk a 100-bit code space.
VERIFY_LIMIT = 20


def _too_many(request: HttpRequest) -> HttpResponse | None:
    if throttled(request, "certificate_verify", limit=VERIFY_LIMIT, seconds=600):
        return render(request, "certificates/throttled.html", status=429)
    return None


def verify_form(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("code", "")
    if "/" in typed:
        # An employer is likely to type the number printed at the top (001/BLKI-BTG/…).
        # Numbers run in sequence, so they are not looked up: the random code is.
        return render(
            request,
            "certificates/verify_form.html",
            {
                "typed": typed,
                "error": _(
                    "That is the certificate's number. Type the verification code printed "
                    "beside the QR code instead (20 letters and digits), or scan the QR code."
                ),
            },
            status=400,
        )
    if typed:
        code = normalise_code(typed)
        if 8 <= len(code) <= 40:
            return redirect("certificates:verify", code=code)
        return render(
            request,
            "certificates/verify_form.html",
            {"typed": typed, "error": _("That does not look like a certificate code.")},
            status=400,
        )
    return render(request, "certificates/verify_form.html", {"typed": ""})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _too_many(request)) is not None:
        return refused
    result = verification(code)
    cert = result.certificate
    return render(
        request,
        "certificates/verify.html",
        {
            "result": result,
            "cert": cert,
            "code": format_code(normalise_code(code)),
            "fingerprint": signing.fingerprint(cert.signing_key.public_key) if cert else "",
        },
        status=200 if cert is not None else 404,
    )


def _badge_response(request: HttpRequest, cert: TrainingCertificate) -> HttpResponse:
    try:
        credential = open_badge(cert)
    except signing.SigningKeyMissing:
        # The key is gone from the environment (check --deploy says so): the certificate
        # still verifies from its stored public key; only a new credential cannot be made.
        return render(request, "certificates/badge_unavailable.html", {"cert": cert}, status=503)
    response = HttpResponse(
        json.dumps(credential, ensure_ascii=False, indent=2),
        content_type="application/vc+ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="badge-{cert.code}.json"'
    return response


def badge(request: HttpRequest, code: str) -> HttpResponse:
    if (refused := _too_many(request)) is not None:
        return refused
    cert = TrainingCertificate.objects.filter(
        code=normalise_code(code), state=CertificateState.VALID
    ).first()
    if cert is None:
        raise Http404
    return _badge_response(request, cert)


def issuer(request: HttpRequest) -> JsonResponse:
    from vokasi.catalog.models import TrainingCentre

    centre = TrainingCentre.objects.order_by("pk").first()
    return JsonResponse(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": issuer_url(),
            "type": ["Profile"],
            "name": centre.name if centre else "vokasi",
            "url": settings.SITE_URL,
        }
    )


def status_list(request: HttpRequest, number: int) -> JsonResponse:
    """Which badges are no longer in force (see certificates.status_list); wallets and
    verifiers fetch it, so it may be cached for a few minutes."""
    if number > 10_000:  # far beyond any centre's certificates: no list to compute
        raise Http404
    response = JsonResponse(status_list_credential(number))
    response["Cache-Control"] = "public, max-age=300"
    return response


def key(request: HttpRequest, pk: int) -> JsonResponse:
    """The public key as a Multikey verification method, for the badge's proof."""
    record = get_object_or_404(SigningKey, pk=pk)
    return JsonResponse(
        {
            "@context": "https://w3id.org/security/multikey/v1",
            "id": f"{settings.SITE_URL}{request.path}#{record.key_id}",
            "type": "Multikey",
            "controller": issuer_url(),
            "publicKeyMultibase": signing.multikey(record.public_key),
            "fingerprint": signing.fingerprint(record.public_key),
        }
    )


def _own_certificate(request: HttpRequest, pk: int) -> TrainingCertificate:
    applicant = getattr(request.user, "applicant", None)
    if applicant is None:
        raise Http404
    return get_object_or_404(
        TrainingCertificate.objects.select_related("centre"),
        pk=pk,
        participant__applicant=applicant,
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    applicant = getattr(request.user, "applicant", None)
    rows = applicant_certificates(applicant.pk) if applicant is not None else []
    return render(request, "certificates/mine.html", {"rows": rows})


@login_required
def mine_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cert = _own_certificate(request, pk)
    response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{cert.code}.pdf"'
    return response


@login_required
def mine_badge(request: HttpRequest, pk: int) -> HttpResponse:
    cert = _own_certificate(request, pk)
    if cert.state != CertificateState.VALID:
        raise Http404
    return _badge_response(request, cert)
