app_name = "public_experts"
urlpatterns: list = []
