from django.urls import path

from . import views

app_name = "notes"

urlpatterns = [
    path("cases/<int:case_id>/notes/", views.note_log, name="note-log"),
    path("cases/<int:case_id>/notes/new/", views.note_add, name="note-add"),
    path("notes/<int:note_id>/", views.note_detail, name="note-detail"),
    path("notes/<int:note_id>/edit/", views.note_edit, name="note-edit"),
    path("notes/<int:note_id>/withdraw/", views.note_withdraw, name="note-withdraw"),
]
