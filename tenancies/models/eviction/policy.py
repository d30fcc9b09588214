"""A programme's legal-clock numbers, and each operator's calendar-feed secret."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from common.models import AuditedModel
from tenancies.legal_clock import AT_MOST, DEFAULT_RULES, LAW_NUMBERS, ClockRules


def law_breach_message(number) -> str:
    """The Italian error for a setting that would break the law, naming the article."""
    values = {"source": number.source, "value": number_format(number.value, force_grouping=True)}
    if number.room == AT_MOST:
        return (
            _("%(source)s sets at most %(value)s: a programme may be stricter, not more generous.")
            % values
        )
    return _("%(source)s fixes this at %(value)s: a programme cannot change it.") % values


class EvictionPolicy(AuditedModel):
    """A programme's numbers for the legal clock; the defaults are the law's (see legal_clock).
    Numbers the law fixes cannot change; ceilings may only be lowered (`clean`)."""

    programme = models.OneToOneField(
        "common.Programme", on_delete=models.CASCADE, related_name="eviction_policy"
    )
    summons_min_days = models.PositiveSmallIntegerField(
        _("free days between summons and hearing"),
        default=DEFAULT_RULES.summons_min_days,
        help_text=_("c.p.c. art. 660: 20 days."),
    )
    grace_max_days = models.PositiveSmallIntegerField(
        _("longest grace period, in days"),
        default=DEFAULT_RULES.grace_max_days,
        help_text=_("L. 392/1978 art. 55: 90 days."),
    )
    grace_max_days_exceptional = models.PositiveSmallIntegerField(
        _("longest grace period in the exceptional case"),
        default=DEFAULT_RULES.grace_max_days_exceptional,
        help_text=_("L. 392/1978 art. 55 co. 4: 120 days."),
    )
    grace_max_uses = models.PositiveSmallIntegerField(
        _("grace periods allowed in the window"),
        default=DEFAULT_RULES.grace_max_uses,
        help_text=_("L. 392/1978 art. 55: 3 times in 4 years."),
    )
    grace_max_uses_exceptional = models.PositiveSmallIntegerField(
        _("grace periods allowed in the exceptional case"),
        default=DEFAULT_RULES.grace_max_uses_exceptional,
        help_text=_("L. 392/1978 art. 55 co. 4: 4 times in 4 years."),
    )
    grace_window_years = models.PositiveSmallIntegerField(
        _("window for counting grace periods, in years"),
        default=DEFAULT_RULES.grace_window_years,
        validators=[MinValueValidator(1)],
        help_text=_("L. 392/1978 art. 55: 4 years."),
    )
    grace_exceptional_max_arrears_months = models.PositiveSmallIntegerField(
        _("most months of arrears for the wider grace"),
        default=DEFAULT_RULES.grace_exceptional_max_arrears_months,
        help_text=_("L. 392/1978 art. 55: 2 months."),
    )
    new_hearing_within_days = models.PositiveSmallIntegerField(
        _("new hearing at most this many days after the grace period"),
        default=DEFAULT_RULES.new_hearing_within_days,
        help_text=_("L. 392/1978 art. 55: 10 days."),
    )
    precetto_term_days = models.PositiveSmallIntegerField(
        _("days the precetto gives to leave"),
        default=DEFAULT_RULES.precetto_term_days,
        help_text=_("c.p.c. art. 480: 10 days."),
    )
    access_notice_days = models.PositiveSmallIntegerField(
        _("days' notice of the bailiff's access"),
        default=DEFAULT_RULES.access_notice_days,
        help_text=_("c.p.c. art. 608: at least 10 days."),
    )
    precetto_lapse_days = models.PositiveSmallIntegerField(
        _("days after which a precetto without enforcement lapses"),
        default=DEFAULT_RULES.precetto_lapse_days,
        help_text=_("c.p.c. art. 481: 90 days."),
    )
    fund_isee_max = models.DecimalField(
        _("highest ISEE for the fondo morosità incolpevole"),
        max_digits=10,
        decimal_places=2,
        default=DEFAULT_RULES.fund_isee_max,
        help_text=_("D.M. 30 March 2016 art. 3: at most 26,000 euros; a call may set less."),
    )
    fund_max_amount = models.DecimalField(
        _("largest contribution of the fondo morosità incolpevole"),
        max_digits=10,
        decimal_places=2,
        default=DEFAULT_RULES.fund_max_amount,
        help_text=_("D.M. 30 March 2016 art. 5: at most 12,000 euros; a call may set less."),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("days ahead that count as due soon"),
        default=DEFAULT_RULES.due_soon_days,
        help_text=_("Not a legal number: how early the dashboard warns."),
    )

    class Meta:
        verbose_name = _("eviction policy")
        verbose_name_plural = _("eviction policies")

    def __str__(self):
        return str(self.programme)

    def clean(self):
        """Settings cannot break the law: each number the law sets is checked against it."""
        errors = {
            number.name: law_breach_message(number)
            for number in LAW_NUMBERS
            if not number.allows(getattr(self, number.name))
        }
        if errors:
            raise ValidationError(errors)

    def rules(self) -> ClockRules:
        return ClockRules(
            **{
                name: getattr(self, name)
                for name in ClockRules.__dataclass_fields__
                if hasattr(self, name)
            }
        )


class CalendarToken(models.Model):
    """The secret in an operator's calendar-feed address; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    programme = models.ForeignKey("common.Programme", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="calendartoken_one_per_user_programme"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.programme}"
