"""The tracer study's public page: a graduate answers from the link in their message."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from vokasi.placement.forms import PlacementForm
from vokasi.placement.models import TracerSurvey
from vokasi.placement.selectors import survey_by_token, training_label
from vokasi.placement.services import PlacementError, TracerClosed, tracer_answer


@never_cache
def tracer_answer_view(request: HttpRequest, token: str) -> HttpResponse:
    survey = survey_by_token(token)
    if survey is None:
        raise Http404  # a guessed or mistyped link learns nothing
    closed = ""
    if survey.answered_at is not None:
        return render(request, "tracer/done.html", {"survey": survey, "again": True})
    if survey.expires_at is None or survey.expires_at < timezone.now():
        return render(request, "tracer/expired.html", {"survey": survey}, status=410)
    form = PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tracer_answer(survey=survey, data=form.to_data(), via=TracerSurvey.Via.LINK, actor=None)
        except PlacementError as error:
            form.add_service_errors(error.errors)
        except TracerClosed as error:
            closed = str(error)
        else:
            return render(request, "tracer/done.html", {"survey": survey, "again": False})
    if closed:
        return render(request, "tracer/done.html", {"survey": survey, "again": True})
    participant = survey.participant
    return render(
        request,
        "tracer/form.html",
        {
            "form": form,
            "survey": survey,
            "first_name": participant.applicant.full_name.split()[0],
            "batch": participant.batch,
            "training": training_label(participant.batch),
        },
    )
