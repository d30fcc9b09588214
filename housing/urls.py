from django.urls import path

from housing.views import caretaker, landlords, stock

app_name = "housing"

urlpatterns = [
    path("proprietari/", landlords.landlord_list, name="landlord_list"),
    path("proprietari/nuovo/", landlords.landlord_create, name="landlord_create"),
    path("proprietari/<int:pk>/", landlords.landlord_detail, name="landlord_detail"),
    path("proprietari/<int:pk>/modifica/", landlords.landlord_update, name="landlord_update"),
    path(
        "proprietari/<int:landlord_pk>/convenzioni/nuova/",
        landlords.agreement_create,
        name="agreement_create",
    ),
    path("convenzioni/", landlords.agreement_list, name="agreement_list"),
    path("convenzioni/<int:pk>/", landlords.agreement_detail, name="agreement_detail"),
    path("convenzioni/<int:pk>/modifica/", landlords.agreement_update, name="agreement_update"),
    path(
        "convenzioni/<int:pk>/documento/", landlords.agreement_document, name="agreement_document"
    ),
    path(
        "convenzioni/<int:pk>/documento/carica/",
        landlords.agreement_document_upload,
        name="agreement_document_upload",
    ),
    path("abitazioni/", stock.dwelling_list, name="dwelling_list"),
    path("abitazioni/nuova/", stock.dwelling_create, name="dwelling_create"),
    path("abitazioni/<int:pk>/", stock.dwelling_detail, name="dwelling_detail"),
    path("abitazioni/<int:pk>/modifica/", stock.dwelling_update, name="dwelling_update"),
    path("posti-liberi/", stock.vacancy_search, name="vacancy_search"),
    path("condomini/", stock.condominium_list, name="condominium_list"),
    path("condomini/nuovo/", stock.condominium_create, name="condominium_create"),
    path("condomini/<int:pk>/", stock.condominium_detail, name="condominium_detail"),
    path("condomini/<int:pk>/modifica/", stock.condominium_update, name="condominium_update"),
    path("coabitazioni/", stock.cohousing_list, name="cohousing_list"),
    path("coabitazioni/nuova/", stock.cohousing_create, name="cohousing_create"),
    path("coabitazioni/<int:pk>/", stock.cohousing_detail, name="cohousing_detail"),
    path("coabitazioni/<int:pk>/modifica/", stock.cohousing_update, name="cohousing_update"),
    path("coabitazioni/<int:pk>/spese/", stock.cohousing_costs, name="cohousing_costs"),
    path("segnalazioni/", stock.alert_list, name="alert_list"),
    path("segnalazioni/<int:pk>/presa-in-carico/", stock.alert_handle, name="alert_handle"),
    path("custode/", caretaker.caretaker_home, name="caretaker_home"),
    path(
        "custode/condomini/<int:pk>/",
        caretaker.caretaker_condominium,
        name="caretaker_condominium",
    ),
    path(
        "custode/condomini/<int:pk>/nota/",
        caretaker.caretaker_note_create,
        name="caretaker_note_create",
    ),
]
