from django.urls import path

from . import views

app_name = "questionnaires"

urlpatterns = [
    path(
        "cases/<int:case_id>/questionnaires/enter/",
        views.response_choose,
        name="response-choose",
    ),
    path(
        "cases/<int:case_id>/questionnaires/enter/<int:definition_id>/",
        views.response_enter,
        name="response-enter",
    ),
]
