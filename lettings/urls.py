from django.urls import path

from lettings import views

app_name = "lettings"

urlpatterns = [
    path("", views.finding_a_home, name="finding_a_home"),
    path("homes/", views.advert_list, name="advert_list"),
    path("homes/<id:advert_id>/", views.advert_detail, name="advert_detail"),
    path("homes/<id:advert_id>/interest/", views.interest, name="interest"),
    path("applications/", views.application_list, name="application_list"),
    path(
        "applications/<reference:reference>/", views.application_detail, name="application_detail"
    ),
    path(
        "applications/<reference:reference>/form/", views.application_form, name="application_form"
    ),
    path(
        "applications/<reference:reference>/decision/",
        views.application_decision,
        name="application_decision",
    ),
    path("move-in/", views.move_in, name="move_in"),
    path("move-in/tenancy-agreement.pdf", views.move_in_agreement, name="move_in_agreement"),
    path(
        "move-in/tenancy-agreement-draft.pdf",
        views.move_in_agreement_draft,
        name="move_in_agreement_draft",
    ),
    path("move-in/feedback/", views.move_in_feedback, name="move_in_feedback"),
    path("exchange/", views.exchange_new, name="exchange_new"),
    path("staff/", views.staff_queue, name="staff_queue"),
    path("staff/measures/", views.measures, name="measures"),
    path(
        "staff/settling-in/<id:settling_in_id>/signed-agreement/",
        views.staff_signed_agreement,
        name="staff_signed_agreement",
    ),
    path(
        "staff/settling-in/<id:settling_in_id>/signed-agreement.pdf",
        views.staff_signed_agreement_download,
        name="staff_signed_agreement_download",
    ),
    path("staff/adverts/<id:advert_id>/", views.staff_shortlist, name="staff_shortlist"),
]
