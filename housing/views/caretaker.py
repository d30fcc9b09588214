"""The social caretaker's pages: only their own condominiums, flats and log."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from housing import selectors, services
from housing.forms import CaretakerNoteForm
from housing.views._base import caretaker_required, get_or_404, run_service


def _my_condominium(request, pk):
    return get_or_404(
        lambda **kw: selectors.condominiums_for_caretaker(
            user=request.user, programme=request.programme
        ).get(**kw),
        pk=pk,
    )


@caretaker_required
def caretaker_home(request):
    condominiums = selectors.condominiums_for_caretaker(
        user=request.user, programme=request.programme
    )
    return render(request, "housing/caretaker_home.html", {"condominiums": condominiums})


@caretaker_required
def caretaker_condominium(request, pk):
    condominium = _my_condominium(request, pk)
    return render(
        request,
        "housing/caretaker_condominium.html",
        {
            "condominium": condominium,
            "flats": condominium.flats.all(),
            "notes": selectors.caretaker_notes_for(condominium=condominium)[:100],
        },
    )


@caretaker_required
def caretaker_note_create(request, pk):
    condominium = _my_condominium(request, pk)
    form = CaretakerNoteForm(
        request.POST or None,
        condominium=condominium,
        initial={"happened_on": timezone.localdate(), "dwelling": request.GET.get("flat")},
    )
    if request.method == "POST" and form.is_valid():
        note = run_service(
            form,
            services.caretaker_note_create,
            actor=request.user,
            condominium=condominium,
            **form.cleaned_data,
        )
        if note is not None:
            messages.success(
                request,
                _("Alert sent to the operators.") if note.is_alert else _("Note saved."),
            )
            return redirect("housing:caretaker_condominium", pk=pk)
    return render(
        request,
        "housing/form.html",
        {
            "form": form,
            "title": _("New note for %(name)s") % {"name": condominium},
            "object": condominium,
            "cancel_url": reverse("housing:caretaker_condominium", args=[pk]),
        },
    )
