"""Merging the children of a CIN census file into Safeguard's records (kpis.md §6, import).

Identity: a child by LAchildID within the authority; an episode by child and CINreferralDate;
an assessment, CIN plan, section 47 enquiry or CP plan by episode and start date; a review by
plan and date. A record the file holds replaces the stored values (an element left empty
clears a stored value); records the file leaves out are kept; review dates are the union of
every file. A record whose values already match is not touched, so importing a file twice
changes nothing. Each record is written as the services write it: ``created_by``/``updated_by``
the person importing (or, for a first load into a database with no records made in Safeguard,
the import account), a ``ChangeEvent`` for each creation or change, and the chronology entry
the step's service would make. Decision 0010 says what the census cannot carry and what the
import records instead.

An import writes only over its own records (decision 0017): a record another import created
and nothing has changed since (``ImportedRecord``), and it adds records only under records an
import created. A record made or changed in Safeguard that the file would change is a
conflict: the child is left as recorded and each conflict reported, for a person to resolve.
A sealed child the importing user may not see is left alone and reported as restricted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from django.contrib.auth.hashers import make_password

from safeguard.accounts.models import Agency, AgencyKind, LocalAuthority, User
from safeguard.assessments.models import Assessment, AssessmentKind
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework.codes import ClosureReason, ReferralSource
from safeguard.casework.models import Case, CINPlan
from safeguard.casework.services import EndMarker, chronology_add
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import add_working_days, is_working_day
from safeguard.people.models import Person
from safeguard.people.permissions import sealed_from
from safeguard.protection.codes import CategoryOfAbuse, PlanEndReason
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceDecision,
    ConferenceKind,
    Section47Enquiry,
    Section47Outcome,
    StrategyDecision,
    StrategyDiscussion,
)
from safeguard.returns.builders.cin import (
    ICPC_TARGET_WORKING_DAYS,
    CinAssessment,
    CinChild,
    CinEpisode,
    CinPlanDates,
    CinProtectionPlan,
    CinSection47,
)
from safeguard.returns.models import CensusImportedChild, ImportedRecord

AGENCY = "CIN census import"
NOT_RECORDED = "Not recorded"
NOTE = "Recorded by the CIN census import: the census gives only the dates and codes."


# --- Merging files before writing (kpis.md §6) ----------------------------------------------


def _by_start(older, newer, key, merge=None) -> tuple:
    """Records of both files by their start date: the newer file's record replaces the
    older's; a record only one file holds is kept."""
    records = {key(r): r for r in older}
    for record in newer:
        old = records.get(key(record))
        records[key(record)] = merge(old, record) if merge and old is not None else record
    return tuple(records[k] for k in sorted(records))


def _merge_plan(older: CinProtectionPlan, newer: CinProtectionPlan) -> CinProtectionPlan:
    return replace(newer, review_dates=tuple(sorted({*older.review_dates, *newer.review_dates})))


def _merge_episode(older: CinEpisode, newer: CinEpisode) -> CinEpisode:
    return replace(
        newer,
        assessments=_by_start(older.assessments, newer.assessments, lambda r: r.start_date),
        cin_plans=_by_start(older.cin_plans, newer.cin_plans, lambda r: r.start_date),
        section47s=_by_start(older.section47s, newer.section47s, lambda r: r.start_date),
        cp_plans=_by_start(older.cp_plans, newer.cp_plans, lambda r: r.start_date, _merge_plan),
    )


def merge_children(older: CinChild, newer: CinChild) -> CinChild:
    """One child as two censuses give them, the newer applied over the older."""
    return replace(
        newer,
        episodes=_by_start(
            older.episodes, newer.episodes, lambda e: e.referral_date, _merge_episode
        ),
    )


def census_import_account(authority: LocalAuthority) -> User:
    """The authority's census-import account: the ``by`` of every imported record and the
    chair or authoriser the census does not name. Inactive with no usable password, no role:
    it can never sign in or be given work."""
    username = f"census-import-{authority.dfe_la_code}"
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    agency = Agency.objects.filter(
        authority=authority, kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    ).first()
    return User.objects.create(
        username=username,
        first_name="CIN census",
        last_name="import",
        is_active=False,
        password=make_password(None),
        agency=agency,
        role="",
        job_title="System account for records imported from CIN census files",
    )


class ChildLeftAsRecorded(ApplicationError):
    """The child was not imported for a reason that is not a fault of the file: the import
    goes on with the other children and reports this one (decision 0017)."""


class ImportConflict(ChildLeftAsRecorded):
    def __init__(self, conflicts: list[str]):
        super().__init__(
            "left as recorded: the file would change records made or changed in Safeguard ("
            + "; ".join(conflicts)
            + "). Resolve it in the child's record; nothing of this child was imported"
        )
        self.conflicts = conflicts


class RestrictedChild(ChildLeftAsRecorded):
    def __init__(self):
        super().__init__(
            "a restricted record: it was left as it is. A manager named on its seal can resolve it"
        )


def holds_records_made_in_safeguard(authority: LocalAuthority) -> bool:
    """Does the authority hold any child no census import created? Then an import needs a
    named system administrator (decision 0017)."""
    imported = ImportedRecord.objects.filter(model=Person._meta.label_lower).values("object_id")
    return Person.objects.filter(authority=authority).exclude(pk__in=imported).exists()


def _when(obj) -> str:
    for name in ("referral_date", "start_date", "discussion_date", "conference_date"):
        day = getattr(obj, name, None)
        if day is not None:
            return f" of {day.isoformat()}"
    return ""


def _label(choices, code: str) -> str:
    return dict(choices.choices).get(code, code)


class CinImporter:
    """Merges children one at a time; ``counts`` says what was created and changed."""

    def __init__(self, *, authority: LocalAuthority, by: User):
        self.authority = authority
        self.by = by
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.unchanged: Counter[str] = Counter()
        # Per child: the import's records ((label, id) -> (version, updated_at)), and the
        # conflicts found.
        self._imported: dict[tuple[str, object], tuple[int, object]] = {}
        self._conflicts: list[str] = []
        self._written: dict[tuple[str, object], object] = {}

    def counts(self) -> tuple[Counter, Counter, Counter]:
        return Counter(self.created), Counter(self.updated), Counter(self.unchanged)

    def restore_counts(self, counts: tuple[Counter, Counter, Counter]) -> None:
        """After a child's savepoint is rolled back, forget what it counted."""
        self.created, self.updated, self.unchanged = (Counter(c) for c in counts)

    # --- provenance (decision 0017) ------------------------------------------------------

    def _key(self, obj) -> tuple[str, object]:
        return obj._meta.label_lower, obj.pk

    def _made_by_import(self, obj) -> bool:
        return self._key(obj) in self._imported

    def _is_imports_own(self, obj) -> bool:
        """Created by an import and changed by nothing else since."""
        return self._imported.get(self._key(obj)) == (obj.version, obj.updated_at)

    def _record(self, obj, person_id) -> None:
        self._imported[self._key(obj)] = (obj.version, obj.updated_at)
        self._written[self._key(obj)] = person_id

    def _conflict(self, text: str) -> None:
        self._conflicts.append(text)

    # --- writing, the way the services write ---------------------------------------------

    def _create(self, model, counter: str, person_id, /, parent=None, **values):
        if parent is not None and not self._made_by_import(parent):
            whose = "the child" if isinstance(parent, Person) else f"the {parent_name(parent)}"
            self._conflict(
                f"it adds a {counter}{_when(model(**values))} to {whose}{_when(parent)}, "
                "recorded in Safeguard"
            )
        obj = model(**values)
        save_new(obj, by=self.by, person_id=person_id)
        self._record(obj, person_id)
        self.created[counter] += 1
        return obj

    def _apply(
        self, obj, counter: str, person_id, /, verb=ChangeVerb.UPDATED, count=True, **values
    ) -> bool:
        """Set ``values`` on ``obj`` and save with a change event, only if any differ. A
        record that is not the import's own is not written: the difference is a conflict."""
        differ = [name for name, value in values.items() if getattr(obj, name) != value]
        if not differ:
            if count:
                self.unchanged[counter] += 1
            return False
        if not self._is_imports_own(obj):
            fields = ", ".join(str(obj._meta.get_field(n).verbose_name) for n in differ)
            what = "the child's record" if counter == "child" else f"the {counter}{_when(obj)}"
            self._conflict(f"it would change {what}: {fields}")
            return False
        before = snapshot(obj)
        for name, value in values.items():
            setattr(obj, name, value)
        save_change(obj, by=self.by, before=before, verb=verb, person_id=person_id)
        self._record(obj, person_id)
        if count:
            self.updated[counter] += 1
        return True

    def _chronicle(self, person, case, day: date | None, what: str, source) -> None:
        if day is not None:
            chronology_add(
                by=self.by, child=person, case=case, event_date=day, what=what,
                source_agency=AGENCY, source=source,
            )  # fmt: skip

    # --- the child ----------------------------------------------------------------------

    def import_child(self, child: CinChild, *, reference_date: date) -> Person:
        """Merge one well-formed child, as the census of ``reference_date`` gives them (the
        files of one import already merged). Raises ``ApplicationError`` when the child
        cannot be stored: a UPN already held by another person, or values from a newer
        census already applied."""
        person = Person.objects.filter(
            authority=self.authority, la_child_id=child.la_child_id
        ).first()
        # Sealed records follow the seal (decision 0005): first, before anything about the
        # record is looked at or said.
        if person is not None and sealed_from(self.by, [person.pk]):
            raise RestrictedChild()
        self._conflicts, self._written = [], {}
        self._imported = (
            {
                (r.model, r.object_id): (r.version, r.updated_at)
                for r in ImportedRecord.objects.filter(person=person)
            }
            if person is not None
            else {}
        )
        marker = CensusImportedChild.objects.filter(person=person).first() if person else None
        if marker is not None and marker.reference_date > reference_date:
            raise ApplicationError(
                f"this child's records already hold the census of {marker.reference_date:%d %B %Y}"
                ", which is newer: import older files before newer ones, or together with them"
            )
        upn = child.upn or None
        if upn:
            # Within this authority only, as people.services checks: another authority's
            # records are never consulted, so the answer says nothing about them.
            holder = Person.objects.filter(authority=self.authority, upn=upn)
            if person is not None:
                holder = holder.exclude(pk=person.pk)
            if holder.exists():
                raise ApplicationError(
                    f"the UPN {upn} is already recorded for another person in this authority"
                )
        values = {
            "upn": upn,
            "former_upn": child.former_upn,
            "upn_unknown": child.upn_unknown,
            "date_of_birth": child.birth_date,
            "date_of_death": child.death_date,
            "sex": child.sex,
            "ethnicity": child.ethnicity,
            "disabilities": list(child.disabilities),
        }
        # The census gives the expected date only while the child is unborn; a birth date
        # leaves the expected one as it was.
        if child.birth_date is None:
            values["expected_date_of_birth"] = child.expected_birth_date
        if person is None:
            person = Person(
                authority=self.authority,
                la_child_id=child.la_child_id,
                given_names="",
                family_name=f"{NOT_RECORDED} ({child.la_child_id})",
                **values,
            )
            save_new(person, by=self.by, person_id=person.pk)
            self._record(person, person.pk)
            self.created["child"] += 1
        else:
            self._apply(person, "child", person.pk, **values)
        for episode in child.episodes:
            self._episode(person, episode, child)
        self._previous_plans(person, child)
        if self._conflicts:
            # Nothing of this child is kept (the caller rolls back its savepoint).
            raise ImportConflict(self._conflicts)
        self._save_provenance()
        if marker is None:
            CensusImportedChild.objects.create(person=person, reference_date=reference_date)
        elif marker.reference_date != reference_date:
            marker.reference_date = reference_date
            marker.save(update_fields=["reference_date"])
        return person

    def _save_provenance(self) -> None:
        ImportedRecord.objects.bulk_create(
            [
                ImportedRecord(
                    person_id=person_id,
                    model=key[0],
                    object_id=key[1],
                    version=self._imported[key][0],
                    updated_at=self._imported[key][1],
                )  # fmt: skip
                for key, person_id in self._written.items()
            ],
            update_conflicts=True,
            unique_fields=["model", "object_id"],
            update_fields=["version", "updated_at"],
        )

    def _episode(self, person: Person, ep: CinEpisode, child: CinChild) -> None:
        values = {
            "referral_source": ep.referral_source,
            "primary_need": ep.primary_need,
            "closure_date": ep.closure_date,
            "closure_reason": ep.closure_reason if ep.closure_date else "",
            "referral_nfa": ep.referral_nfa,
        }
        case = Case.objects.filter(
            child=person, authority=self.authority, referral_date=ep.referral_date
        ).first()
        closed_before = case.closure_date if case else None
        if case is None:
            case = Case(child=person, authority=self.authority, referral_date=ep.referral_date)
            for name, value in values.items():
                setattr(case, name, value)
            if not self._made_by_import(person):
                self._conflict(
                    f"it adds the episode of {ep.referral_date.isoformat()} to the child, "
                    "recorded in Safeguard"
                )
            save_new(case, by=self.by, person_id=case.child_id)
            self._record(case, person.pk)
            self.created["episode"] += 1
            self._chronicle(
                person, case, ep.referral_date,
                f"Referral received from {_label(ReferralSource, ep.referral_source)}",
                case,
            )  # fmt: skip
        else:
            self._apply(case, "episode", person.pk, **values)
        if case.closure_date and case.closure_date != closed_before:
            self._chronicle(
                person, case, case.closure_date,
                f"Case closed: {_label(ClosureReason, case.closure_reason)} "
                f"({case.closure_reason})",
                EndMarker(case),
            )  # fmt: skip
        for assessment in ep.assessments:
            self._assessment(person, case, assessment)
        for plan in ep.cin_plans:
            self._cin_plan(person, case, plan)
        plans = {p.start_date: self._cp_plan(person, case, p, child, ep) for p in ep.cp_plans}
        for enquiry in ep.section47s:
            self._section47(person, case, enquiry, plans)
        for data in ep.cp_plans:
            self._reviews(person, case, plans[data.start_date], data)
        if ep.icpc_date:
            # An initial conference the census gives on the episode, not on an enquiry.
            self._initial_conference(person, case, None, ep.icpc_date, plans)

    def _assessment(self, person, case: Case, data: CinAssessment) -> None:
        values = {
            "internal_review_date": data.internal_review_date,
            "completed_date": data.authorisation_date,
            "factors": list(data.factors),
        }
        assessment = Assessment.objects.filter(case=case, start_date=data.start_date).first()
        completed_before = assessment.completed_date if assessment else None
        if assessment is None:
            assessment = self._create(
                Assessment, "assessment", person.pk, parent=case, case=case,
                kind=AssessmentKind.SINGLE,
                start_date=data.start_date,
                authorised_by=self.by if data.authorisation_date else None, **values,
            )  # fmt: skip
        else:
            if (data.authorisation_date is None) != (assessment.authorised_by_id is None):
                values["authorised_by"] = self.by if data.authorisation_date else None
            self._apply(assessment, "assessment", person.pk, **values)
        if assessment.completed_date and assessment.completed_date != completed_before:
            self._chronicle(
                person, case, assessment.completed_date,
                f"{AssessmentKind(assessment.kind).label} completed", assessment,
            )  # fmt: skip

    def _cin_plan(self, person, case: Case, data: CinPlanDates) -> None:
        plan = CINPlan.objects.filter(case=case, start_date=data.start_date).first()
        ended_before = plan.end_date if plan else None
        if plan is None:
            plan = self._create(
                CINPlan, "CIN plan", person.pk, parent=case, case=case,
                start_date=data.start_date,
                end_date=data.end_date,
            )  # fmt: skip
            self._chronicle(person, case, plan.start_date, "Child in need plan started", plan)
        else:
            self._apply(plan, "CIN plan", person.pk, end_date=data.end_date)
        if plan.end_date and plan.end_date != ended_before:
            self._chronicle(
                person, case, plan.end_date, "Child in need plan ended", EndMarker(plan)
            )

    def _cp_plan(
        self, person, case: Case, data: CinProtectionPlan, child, ep
    ) -> ChildProtectionPlan:
        plan = ChildProtectionPlan.objects.filter(case=case, start_date=data.start_date).first()
        ended_before = plan.end_date if plan else None
        reason = ""
        if data.end_date:
            reason = (plan.end_reason if plan and plan.end_reason else "") or _end_reason(
                data, child, ep
            )
        values = {
            "end_date": data.end_date,
            "initial_category": data.initial_category,
            "latest_category": data.latest_category,
            "end_reason": reason,
        }
        if plan is None:
            plan = self._create(
                ChildProtectionPlan, "CP plan", person.pk, parent=case, case=case,
                start_date=data.start_date, **values,
            )  # fmt: skip
        else:
            self._apply(plan, "CP plan", person.pk, **values)
        if plan.end_date and plan.end_date != ended_before:
            self._chronicle(
                person, case, plan.end_date,
                f"Child protection plan ended: {PlanEndReason(plan.end_reason).label.lower()}",
                EndMarker(plan),
            )  # fmt: skip
        return plan

    def _section47(self, person, case: Case, data: CinSection47, plans) -> None:
        enquiry = (
            Section47Enquiry.objects.filter(case=case, start_date=data.start_date)
            .select_related("strategy_discussion")
            .first()
        )
        target = data.icpc_target
        discussion_date = data.start_date
        if target and is_working_day(target):
            # InitialCPCtarget is 15 working days after the (last) strategy discussion.
            discussion_date = add_working_days(target, -ICPC_TARGET_WORKING_DAYS)
        if data.icpc_date:
            ended = {"end_date": data.icpc_date, "outcome": Section47Outcome.SUBSTANTIATED_ICPC}
            label = Section47Outcome.SUBSTANTIATED_ICPC.label.lower()
            what = f"Section 47 enquiry concluded: {label}"
            if enquiry is not None and enquiry.end_date and enquiry.outcome == ended["outcome"]:
                ended = {}  # concluded for a conference: keep its own end date
        elif data.icpc_not_required:
            # The census has no end date for an enquiry; one that ended without a conference
            # is recorded as ended on the day it started, its outcome not recorded.
            ended = {"end_date": data.start_date, "outcome": ""}
            if (
                enquiry is not None
                and enquiry.end_date
                and enquiry.outcome != Section47Outcome.SUBSTANTIATED_ICPC
            ):
                ended = {}  # already ended without a conference: keep its own end and outcome
            what = "Section 47 enquiry concluded: no initial conference required"
        else:
            ended = {"end_date": None, "outcome": ""}
            what = ""
        ended_before = enquiry.end_date if enquiry else None
        if enquiry is None:
            discussion = self._create(
                StrategyDiscussion, "strategy discussion", person.pk, parent=case, case=case,
                discussion_date=discussion_date, decision=StrategyDecision.SECTION_47,
                chaired_by=self.by, notes=NOTE,
            )  # fmt: skip
            self._chronicle(
                person, case, discussion_date,
                f"Strategy discussion: {StrategyDecision.SECTION_47.label.lower()}", discussion,
            )  # fmt: skip
            enquiry = self._create(
                Section47Enquiry, "section 47 enquiry", person.pk, parent=case, case=case,
                strategy_discussion=discussion, start_date=data.start_date, **ended,
            )  # fmt: skip
            self._chronicle(person, case, data.start_date, "Section 47 enquiry started", enquiry)
        else:
            # The target is counted from the last strategy discussion held for the enquiry
            # (as the export counts it), so that is the one a changed target moves.
            last = enquiry.strategy_discussions_held(case.strategy_discussions.all())[-1]
            counted = add_working_days(last.discussion_date, ICPC_TARGET_WORKING_DAYS)
            if target and counted != target:
                self._apply(
                    last, "strategy discussion", person.pk, discussion_date=discussion_date,
                )  # fmt: skip
            self._apply(enquiry, "section 47 enquiry", person.pk, verb=ChangeVerb.ENDED, **ended)
        if enquiry.end_date and enquiry.end_date != ended_before and what:
            self._chronicle(person, case, enquiry.end_date, what, EndMarker(enquiry))
        if data.icpc_date:
            self._initial_conference(person, case, enquiry, data.icpc_date, plans)

    def _initial_conference(self, person, case, enquiry, day: date, plans) -> None:
        plan = plans.get(day)
        values = {
            "conference_date": day,
            "decision": ConferenceDecision.PLAN if plan else ConferenceDecision.NO_PLAN,
            "plan": plan,
            "category": plan.initial_category if plan else "",
        }
        conference = ChildProtectionConference.objects.filter(
            case=case, section47=enquiry, kind=ConferenceKind.INITIAL
        ).first()
        if conference is None:
            conference = self._create(
                ChildProtectionConference, "initial conference", person.pk,
                parent=enquiry or case, case=case,
                kind=ConferenceKind.INITIAL, section47=enquiry, chaired_by=self.by, **values,
            )  # fmt: skip
        elif not self._apply(conference, "initial conference", person.pk, **values):
            return
        what = (
            "Initial child protection conference: child protection plan, category "
            f"{CategoryOfAbuse(plan.initial_category).label.lower()}"
            if plan
            else "Initial child protection conference: no child protection plan"
        )
        self._chronicle(person, case, day, what, conference)

    def _reviews(self, person, case, plan: ChildProtectionPlan, data: CinProtectionPlan) -> None:
        held = set(
            ChildProtectionConference.objects.filter(
                plan=plan, kind=ConferenceKind.REVIEW
            ).values_list("conference_date", flat=True)
        )
        for day in data.review_dates:
            if day in held:
                self.unchanged["review conference"] += 1
                continue
            held.add(day)
            conference = self._create(
                ChildProtectionConference, "review conference", person.pk, parent=plan,
                case=case,
                kind=ConferenceKind.REVIEW, conference_date=day, plan=plan,
                decision=ConferenceDecision.CONTINUE, category=plan.latest_category,
                chaired_by=self.by,
            )  # fmt: skip
            self._chronicle(
                person, case, day, "Review child protection conference: plan continues",
                conference,
            )  # fmt: skip

    def _previous_plans(self, person: Person, child: CinChild) -> None:
        """NumberOfPreviousCPP is the plans before this one: those here are counted from the
        records, the rest are kept as plans elsewhere."""
        starts = sorted(
            ChildProtectionPlan.objects.filter(
                case__child=person, case__authority=self.authority
            ).values_list("start_date", flat=True)
        )
        for ep in child.episodes:
            case = Case.objects.get(
                child=person, authority=self.authority, referral_date=ep.referral_date
            )
            for data in ep.cp_plans:
                here = sum(1 for s in starts if s < data.start_date)
                elsewhere = max(0, (data.previous_plans or 0) - here)
                plan = ChildProtectionPlan.objects.get(case=case, start_date=data.start_date)
                if plan.previous_plans_elsewhere != elsewhere:
                    # Counted once, with the plan's other changes.
                    self._apply(
                        plan, "CP plan", person.pk, count=False,
                        previous_plans_elsewhere=elsewhere,
                    )  # fmt: skip


def parent_name(obj) -> str:
    return {
        "casework.case": "episode",
        "protection.section47enquiry": "section 47 enquiry",
        "protection.childprotectionplan": "CP plan",
    }.get(obj._meta.label_lower, obj._meta.verbose_name)


def _end_reason(data: CinProtectionPlan, child: CinChild, ep: CinEpisode) -> str:
    """The census has no reason a plan ended; the import infers the one it can (decision
    0010): the child died, the episode closed on transfer to another authority, or the
    commonest reason, no longer at risk."""
    if child.death_date and data.end_date and child.death_date <= data.end_date:
        return PlanEndReason.DIED
    if ep.closure_reason == ClosureReason.RC5:
        return PlanEndReason.MOVED
    return PlanEndReason.RISK_REDUCED
