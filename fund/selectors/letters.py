"""The letters of a claim, as each role may see them."""

from fund.models import Claim, ClaimLetter


def claim_letters(claim: Claim, *, for_landlord: bool = False):
    """The claim's letters, newest first; the landlord gets the decision letters only (a
    payout order is the fund's internal record and names its administrators)."""
    letters = ClaimLetter.objects.filter(claim=claim).order_by("-issued_at", "-pk")
    if for_landlord:
        letters = letters.filter(kind=ClaimLetter.Kind.DECISION)
    return letters


def claim_letter_get(claim: Claim, pk: int, *, for_landlord: bool = False) -> ClaimLetter:
    return claim_letters(claim, for_landlord=for_landlord).get(pk=pk)
