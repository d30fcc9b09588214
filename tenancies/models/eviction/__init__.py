"""Eviction prevention: the court procedure for arrears, followed step by step with its clock.

A package by topic; everything keeps its `tenancies.models.eviction` import path.
"""

from tenancies.models.eviction.case import Cause, EvictionCase, EvictionCaseQuerySet, EvictionTask
from tenancies.models.eviction.grace import GraceUse
from tenancies.models.eviction.policy import CalendarToken, EvictionPolicy
from tenancies.models.eviction.prevention import FundApplication, MediationMeeting

__all__ = [
    "CalendarToken",
    "Cause",
    "EvictionCase",
    "EvictionCaseQuerySet",
    "EvictionPolicy",
    "EvictionTask",
    "FundApplication",
    "GraceUse",
    "MediationMeeting",
]
