from django.urls import path

from vokasi.backoffice import (
    applications,
    inmates,
    placement,
    round_followup,
    round_inputs,
    selection,
    training,
    views,
)
from vokasi.backoffice import certificates as certs
from vokasi.backoffice import reports as reports_views

app_name = "backoffice"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("paket/", views.BatchListView.as_view(), name="batches"),
    path("paket/baru/", views.BatchCreateView.as_view(), name="batch_create"),
    path("paket/<int:pk>/", views.BatchDetailView.as_view(), name="batch"),
    path("paket/<int:pk>/ubah/", views.BatchUpdateView.as_view(), name="batch_update"),
    path("paket/<int:pk>/status/", views.BatchTransitionView.as_view(), name="batch_transition"),
    path("program/", views.ProgrammeListView.as_view(), name="programmes"),
    path("program/baru/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("program/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("program/<int:pk>/ubah/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path("program/<int:pk>/unit/", views.ProgrammeUnitsView.as_view(), name="programme_units"),
    path("pendaftaran/", applications.ApplicationQueueView.as_view(), name="applications"),
    path(
        "pendaftaran/excel/",
        applications.ApplicationExportView.as_view(),
        name="applications_export",
    ),
    path(
        "pendaftaran/baru/<int:intake>/",
        applications.FrontDeskView.as_view(),
        name="application_create",
    ),
    path("pendaftaran/<int:pk>/", applications.ApplicationView.as_view(), name="application"),
    path("seleksi/", selection.RoundListView.as_view(), name="rounds"),
    path("seleksi/<int:pk>/", selection.RoundView.as_view(), name="round"),
    path(
        "seleksi/<int:pk>/kursi-khusus/",
        round_inputs.RoundReservationsView.as_view(),
        name="round_reservations",
    ),
    path("seleksi/<int:pk>/nilai/", round_inputs.RoundScoresView.as_view(), name="round_scores"),
    path(
        "seleksi/<int:pk>/nilai/excel/",
        round_inputs.RoundScoresTemplateView.as_view(),
        name="round_scores_template",
    ),
    path(
        "seleksi/<int:pk>/pratinjau/", round_inputs.RoundPreviewView.as_view(), name="round_preview"
    ),
    path(
        "seleksi/<int:pk>/daftar-ulang/",
        round_followup.RoundOffersView.as_view(),
        name="round_offers",
    ),
    path(
        "seleksi/<int:pk>/sanggahan/",
        round_followup.RoundObjectionsView.as_view(),
        name="round_objections",
    ),
    path("dokumen/<int:pk>/", applications.DocumentView.as_view(), name="document"),
    path("pendanaan/", views.FundingListView.as_view(), name="funding"),
    path("mitra/", views.PartnerListView.as_view(), name="partners"),
    path("audit/", views.AuditListView.as_view(), name="audit"),
    path("paket/<int:pk>/pelatihan/", training.BatchTrainingView.as_view(), name="batch_training"),
    path("paket/<int:pk>/peserta/cetak/", training.RosterPrintView.as_view(), name="batch_roster"),
    path("paket/<int:pk>/peserta/tambah/", training.EnrolView.as_view(), name="batch_enrol"),
    path("paket/<int:pk>/staf/", training.StaffingView.as_view(), name="batch_staffing"),
    path("paket/<int:pk>/jadwal/", training.ScheduleView.as_view(), name="batch_schedule"),
    path(
        "paket/<int:pk>/jadwal/baru/",
        training.SessionEditView.as_view(),
        {"new": True},
        name="batch_schedule_add",
    ),
    path(
        "paket/<int:pk>/presensi/excel/",
        training.AttendanceExportView.as_view(),
        name="batch_attendance_export",
    ),
    path("paket/<int:pk>/asesmen/", training.AssessmentView.as_view(), name="batch_assessment"),
    path(
        "paket/<int:pk>/asesmen/impor/",
        training.AssessmentImportView.as_view(),
        name="batch_assessment_import",
    ),
    path(
        "paket/<int:pk>/asesmen/excel/",
        training.AssessmentExportView.as_view(),
        name="batch_assessment_export",
    ),
    path("paket/<int:pk>/sikap/", training.AttitudeView.as_view(), name="batch_attitude"),
    path("sesi/<int:pk>/ubah/", training.SessionEditView.as_view(), name="session_update"),
    path("sesi/<int:pk>/presensi/", training.AttendanceView.as_view(), name="session_attendance"),
    path(
        "sesi/<int:pk>/daftar-hadir/", training.AttendanceSheetView.as_view(), name="session_sheet"
    ),
    path("sesi-saya/", training.MySessionsView.as_view(), name="my_sessions"),
    path("paket-saya/", training.MyBatchesView.as_view(), name="my_batches"),
    path("peserta/<int:pk>/keluar/", training.DropoutView.as_view(), name="participant_dropout"),
    path(
        "program/<int:pk>/kelulusan/", training.ProgrammeRuleView.as_view(), name="programme_rule"
    ),
    path("sertifikat/", certs.CertificateBatchListView.as_view(), name="certificates"),
    path(
        "sertifikat/paket/<int:pk>/", certs.CertificateBatchView.as_view(), name="certificate_issue"
    ),
    path("sertifikat/<int:pk>/", certs.CertificateView.as_view(), name="certificate"),
    path("sertifikat/<int:pk>/pdf/", certs.CertificatePdfView.as_view(), name="certificate_pdf"),
    path(
        "sertifikat/lulusan/<int:pk>/",
        certs.GraduateCertificatesView.as_view(),
        name="graduate_certificates",
    ),
    path("bnsp/lsp/", certs.BnspBodiesView.as_view(), name="bnsp_bodies"),
    path("bnsp/uji/", certs.BnspTestListView.as_view(), name="bnsp_tests"),
    path("bnsp/uji/<int:pk>/", certs.BnspTestView.as_view(), name="bnsp_test"),
    path("bnsp/uji/<int:pk>/excel/", certs.BnspTestExportView.as_view(), name="bnsp_test_export"),
    path("mitra/<int:pk>/", placement.PartnerView.as_view(), name="partner"),
    path(
        "mitra/perjanjian/<int:pk>/", placement.AgreementFileView.as_view(), name="agreement_file"
    ),
    path("lowongan/", placement.VacancyListView.as_view(), name="vacancies"),
    path("lowongan/baru/", placement.VacancyFormView.as_view(), name="vacancy_create"),
    path("lowongan/<int:pk>/", placement.VacancyView.as_view(), name="vacancy"),
    path("lowongan/<int:pk>/ubah/", placement.VacancyFormView.as_view(), name="vacancy_update"),
    path("penempatan/", placement.PlacementListView.as_view(), name="placements"),
    path("penempatan/excel/", placement.PlacementExportView.as_view(), name="placements_export"),
    path(
        "penempatan/<int:pk>/",
        placement.PlacementParticipantView.as_view(),
        name="placement_participant",
    ),
    path("tracer/", placement.TracerReportView.as_view(), name="tracer_report"),
    path("warga-binaan/", inmates.InmateBatchListView.as_view(), name="inmate_batches"),
    path("warga-binaan/templat/", inmates.InmateTemplateView.as_view(), name="inmate_template"),
    path("warga-binaan/<int:pk>/", inmates.InmateBatchView.as_view(), name="inmate_batch"),
    path(
        "warga-binaan/<int:pk>/usulkan/",
        inmates.InmateNominateView.as_view(),
        name="inmate_nominate",
    ),
    path("warga-binaan/<int:pk>/unggah/", inmates.InmateUploadView.as_view(), name="inmate_upload"),
    path("warga-binaan/<int:pk>/excel/", inmates.InmateExportView.as_view(), name="inmate_export"),
]

# Reports: dashboard, unmet demand, budget planner (each with its downloads).
urlpatterns += [
    path("laporan/", reports_views.DashboardView.as_view(), name="reports"),
    path("laporan/excel/", reports_views.DashboardExcelView.as_view(), name="reports_excel"),
    path("laporan/pdf/", reports_views.DashboardPdfView.as_view(), name="reports_pdf"),
    path("laporan/hitung-ulang/", reports_views.RefreshView.as_view(), name="reports_refresh"),
    path("laporan/permintaan/", reports_views.UnmetView.as_view(), name="reports_unmet"),
    path(
        "laporan/permintaan/excel/",
        reports_views.UnmetExcelView.as_view(),
        name="reports_unmet_excel",
    ),
    path("laporan/perencana/", reports_views.PlannerView.as_view(), name="reports_planner"),
    path(
        "laporan/perencana/excel/",
        reports_views.PlannerExcelView.as_view(),
        name="reports_planner_excel",
    ),
    path(
        "laporan/perencana/pdf/", reports_views.PlannerPdfView.as_view(), name="reports_planner_pdf"
    ),
]
