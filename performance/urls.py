from django.urls import path

from performance import published_views, report_views, views

app_name = "performance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export_csv"),
    # Published, for anyone.
    path("our-performance/", published_views.published, name="published"),
    path("our-performance/figures.csv", published_views.published_csv, name="published_csv"),
    path(
        "our-performance/figures.json",
        published_views.published_json_download,
        name="published_json",
    ),
    path(
        "our-performance/complaint-handling/",
        published_views.published_complaint_handling,
        name="published_complaint_handling",
    ),
    path("our-performance/annual-report/", published_views.customer_report, name="customer_report"),
    path(
        "our-performance/annual-report.pdf",
        published_views.customer_report_pdf,
        name="customer_report_pdf",
    ),
    # The regulator's returns, for staff.
    path("tsm/", report_views.tsm_return_page, name="tsm_return"),
    path("tsm/return.csv", report_views.tsm_return_csv, name="tsm_return_csv"),
    path("tsm/<reference:key>/", report_views.tsm_drill_down, name="tsm_drill_down"),
    path("board/", report_views.board_reports, name="board_reports"),
    path("board/month/", report_views.board_report_page, name="board_report"),
    path("board/<id:pk>/report.pdf", report_views.board_report_download, name="board_report_pdf"),
    path("complaint-handling/", report_views.complaint_handling, name="complaint_handling"),
    path(
        "complaint-handling/provision/<reference:key>/",
        report_views.complaint_handling_provision,
        name="complaint_handling_provision",
    ),
    path(
        "complaint-handling/response/",
        report_views.complaint_handling_response,
        name="complaint_handling_response",
    ),
    path(
        "complaint-handling/publish/",
        report_views.complaint_handling_publish,
        name="complaint_handling_publish",
    ),
    path(
        "complaint-handling/submitted/",
        report_views.complaint_handling_submitted,
        name="complaint_handling_submitted",
    ),
    path("benchmarking/", report_views.benchmarking, name="benchmarking"),
    path("benchmarking/import/", report_views.benchmarking_import, name="benchmarking_import"),
]
