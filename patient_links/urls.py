from django.urls import path

from . import views

app_name = "patient_links"

urlpatterns = [
    # The patient's pages: the token is the only key.
    path("q/<str:token>/", views.start, name="start"),
    path("q/<str:token>/<int:number>/", views.question, name="question"),
    path("q/<str:token>/<int:number>/activity/", views.activity, name="activity"),
    path("q/<str:token>/send/", views.send, name="send"),
    # The staff's.
    path("cases/<int:case_id>/questionnaires/send/", views.link_new, name="link-new"),
    path("cases/<int:case_id>/questionnaires/plan/", views.plan_new, name="plan-new"),
    path("questionnaire-plans/<int:plan_id>/stop/", views.plan_stop, name="plan-stop"),
    path("questionnaire-links/<int:link_id>/answers/", views.link_answers, name="link-answers"),
    path("questionnaire-links/<int:link_id>/reviewed/", views.link_reviewed, name="link-reviewed"),
]
