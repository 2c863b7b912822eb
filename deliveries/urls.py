from django.urls import path

from . import views

app_name = "deliveries"

urlpatterns = [
    path("cases/<int:case_id>/deliveries/add/", views.delivery_add, name="delivery-add"),
    path(
        "deliveries/<int:delivery_id>/withdraw/",
        views.delivery_withdraw,
        name="delivery-withdraw",
    ),
    path("deliveries/<int:delivery_id>/proof/", views.delivery_proof, name="delivery-proof"),
]
