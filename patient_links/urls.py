app_name = "patient_links"

urlpatterns: list = []
