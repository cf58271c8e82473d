from django.urls import path

from engagement import views
from engagement.feeds import news_feed

app_name = "engagement"
urlpatterns = [
    path("", views.involvement_home, name="home"),
    path("news/", views.news_list, name="news_list"),
    path("news/feed/", news_feed, name="news_feed"),
    path("news/<id:item_id>/", views.news_detail, name="news_detail"),
    path("surveys/<id:survey_id>/", views.survey_answer, name="survey"),
    path("how-did-we-do/<id:survey_id>/", views.case_survey, name="case_survey"),
    path("consultations/", views.consultation_list, name="consultations"),
    path(
        "consultations/<id:consultation_id>/",
        views.consultation_detail,
        name="consultation",
    ),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("ways-to-get-involved/", views.get_involved, name="get_involved"),
    path("manage/involvement/", views.involvement_dashboard, name="involvement_dashboard"),
    path("manage/satisfaction/", views.perception_results, name="perception_results"),
    path("manage/how-did-we-do/", views.case_survey_results, name="case_survey_results"),
    path(
        "manage/how-did-we-do/<id:survey_id>/follow-up/",
        views.case_survey_comment_follow_up,
        name="case_survey_follow_up",
    ),
    path(
        "manage/satisfaction/comments/<id:response_id>/follow-up/",
        views.perception_comment_follow_up,
        name="perception_follow_up",
    ),
]
