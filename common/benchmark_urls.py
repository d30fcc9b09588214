from django.urls import path

from common import benchmark_views

app_name = "benchmark"

urlpatterns = [
    path("una-riga/", benchmark_views.bare_page, {"rows": 1}, name="bare_one"),
    path("25-righe/", benchmark_views.bare_page, {"rows": 25}, name="bare_many"),
]
