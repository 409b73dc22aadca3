"""Audit action codes in words, for the history pages show ("Riwayat"): staff read what
happened, never a code such as `certificate.issue_batch`.

Every action written with `audit_log(...)` has its label here (tests/backoffice/
test_history.py checks the source for new ones); an action added without one still reads
as words, not as a code.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTION_LABELS: dict[str, Promise] = {
    # accounts
    "account.confirm": gettext_lazy("Account confirmed"),
    "account.password_reset": gettext_lazy("Password reset"),
    "account.signup": gettext_lazy("Account created"),
    # catalogue
    "batch.create": gettext_lazy("Created"),
    "batch.update": gettext_lazy("Edited"),
    "batch.transition": gettext_lazy("State changed"),
    "batch.close": gettext_lazy("Batch closed: graduation decided"),
    "batch.staff_add": gettext_lazy("Added to the staff"),
    "batch.staff_remove": gettext_lazy("Removed from the staff"),
    "programme.create": gettext_lazy("Programme created"),
    "programme.update": gettext_lazy("Programme edited"),
    "programme.units": gettext_lazy("Competency units changed"),
    # intake
    "applicant.nik_viewed": gettext_lazy("Whole NIK viewed"),
    "application.submit": gettext_lazy("Application submitted"),
    "application.update": gettext_lazy("Application edited"),
    "application.verify": gettext_lazy("Application verified"),
    "application.request_fix": gettext_lazy("Correction requested from the applicant"),
    "application.fix_notice": gettext_lazy("Correction notice sent"),
    "application.withdraw": gettext_lazy("Application withdrawn"),
    "applications.export": gettext_lazy("Applications exported"),
    "document.upload": gettext_lazy("Document uploaded"),
    "document.viewed": gettext_lazy("Document viewed"),
    "objection.submit": gettext_lazy("Objection submitted"),
    "objection.answer": gettext_lazy("Objection answered"),
    # selection
    "round.rules": gettext_lazy("Selection rules changed"),
    "round.create": gettext_lazy("Selection round started"),
    "round.delete": gettext_lazy("Selection round deleted"),
    "round.reservation": gettext_lazy("Reserved places set"),
    "round.score": gettext_lazy("Selection score recorded"),
    "round.pass_mark": gettext_lazy("Pass mark set"),
    "round.scores_import": gettext_lazy("Selection scores imported"),
    "round.scores_template": gettext_lazy("Score sheet downloaded"),
    "round.seed": gettext_lazy("Draw seed published"),
    "round.run_requested": gettext_lazy("Selection run requested"),
    "round.drawn": gettext_lazy("Selection run completed"),
    "round.publish": gettext_lazy("Selection results published"),
    "offer.accept": gettext_lazy("Place accepted"),
    "offer.decline": gettext_lazy("Place declined"),
    "offer.lapse": gettext_lazy("Offer lapsed"),
    "offer.lapse_at_opening": gettext_lazy("Offer lapsed at the opening"),
    "offer.from_waiting_list": gettext_lazy("Place offered from the waiting list"),
    "class_size.postpone": gettext_lazy("Too few participants: batch postponed"),
    "class_size.merge": gettext_lazy("Too few participants: merged into another batch"),
    "class_size.run_anyway": gettext_lazy("Too few participants: runs anyway"),
    # training
    "participant.enrol": gettext_lazy("Participant enrolled"),
    "participant.drop": gettext_lazy("Participant dropped out"),
    "participant.regrade": gettext_lazy("Graduation decided again after a correction"),
    "schedule.generate": gettext_lazy("Draft schedule generated"),
    "session.create": gettext_lazy("Session added"),
    "session.update": gettext_lazy("Session edited"),
    "session.delete": gettext_lazy("Session removed"),
    "attendance.record": gettext_lazy("Attendance recorded"),
    "attendance.export": gettext_lazy("Attendance exported (Excel)"),
    "assessment.record": gettext_lazy("Competency results recorded"),
    "assessment.export": gettext_lazy("Assessments exported (Excel)"),
    "attitude.record": gettext_lazy("Attitude assessed"),
    "graduation_rule.save": gettext_lazy("Graduation rule changed"),
    # certificates and competency tests
    "certificate.issue_batch": gettext_lazy("Certificates issued"),
    "certificate.reissue": gettext_lazy("Certificate reissued"),
    "certificate.revoke": gettext_lazy("Certificate revoked"),
    "lsp.create": gettext_lazy("Certification body (LSP) added"),
    "scheme.create": gettext_lazy("Certification scheme added"),
    "competency_test.create": gettext_lazy("Competency test scheduled"),
    "competency_test.candidates_add": gettext_lazy("Candidates added to the competency test"),
    "competency_test.export": gettext_lazy("Competency test candidates exported"),
    "candidate.results": gettext_lazy("Competency test results recorded"),
    "candidate.certificate": gettext_lazy("Competency certificate recorded"),
    # placement and the inmate programme
    "agreement.add": gettext_lazy("Agreement added"),
    "contact.add": gettext_lazy("Contact added"),
    "contribution.add": gettext_lazy("Contribution recorded"),
    "vacancy.create": gettext_lazy("Vacancy added"),
    "vacancy.update": gettext_lazy("Vacancy edited"),
    "vacancy.shortlist": gettext_lazy("Candidates shortlisted for the vacancy"),
    "vacancy.refer": gettext_lazy("Graduate referred to the vacancy"),
    "referral.outcome": gettext_lazy("Referral outcome recorded"),
    "placement.record": gettext_lazy("Placement recorded"),
    "placement.export": gettext_lazy("Placements exported"),
    "nomination.create": gettext_lazy("Nomination made"),
    "nomination.accept": gettext_lazy("Nomination accepted"),
    "nomination.reject": gettext_lazy("Nomination rejected"),
    "nominations.export": gettext_lazy("Nominations exported"),
    "inmate.release_date": gettext_lazy("Release date recorded"),
    "inmate.viewed": gettext_lazy("Inmate's details viewed"),
    "inmates.viewed": gettext_lazy("Inmates' list viewed"),
    # reports and messages
    "reports.refresh": gettext_lazy("Reports refreshed"),
    "message.retry": gettext_lazy("Message sent again"),
}

# Actions whose code carries a variable part (`reports.export_dashboard_xlsx`).
PREFIX_LABELS: dict[str, Promise] = {
    "reports.export_": gettext_lazy("Report exported"),
}


def action_label(code: str) -> str:
    """The action in words; an unknown one as words made from its code ("Other change:
    certificate issue batch"), never the code itself."""
    if (label := ACTION_LABELS.get(code)) is not None:
        return str(label)
    for prefix, label in PREFIX_LABELS.items():
        if code.startswith(prefix):
            return str(label)
    subject, _dot, verb = code.partition(".")
    words = " ".join(part for part in (subject, verb) if part).replace("_", " ").strip()
    return _("Other change: %(what)s") % {"what": words or "–"}
