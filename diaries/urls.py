from django.urls import path

from . import views

app_name = "diaries"

urlpatterns = [
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task-done"),
    path("cases/<int:case_id>/tasks/new/", views.task_add, name="task-add"),
]
