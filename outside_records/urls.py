from django.urls import path

from . import chronology_views, search_views, views

app_name = "outside_records"

urlpatterns = [
    path("cases/<int:case_id>/outside-records/new/", views.record_upload, name="record-upload"),
    path(
        "cases/<int:case_id>/chronology/",
        chronology_views.case_chronology_view,
        name="case-chronology",
    ),
    path(
        "cases/<int:case_id>/outside-records/search/",
        search_views.case_record_search,
        name="case-record-search",
    ),
    path("outside-records/search/", search_views.record_search, name="record-search"),
    path("outside-records/<int:record_id>/", views.record_detail, name="record-detail"),
    path(
        "outside-records/<int:record_id>/download/",
        views.record_download,
        name="record-download",
    ),
    path(
        "outside-records/<int:record_id>/pages/<int:number>.png",
        views.record_page_image,
        name="record-page-image",
    ),
    path(
        "outside-records/<int:record_id>/withdraw/",
        views.record_withdraw,
        name="record-withdraw",
    ),
]
