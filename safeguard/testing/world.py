"""A small, fixed world for tests: one authority, two social care teams, partner agencies,
a named member of staff in every role, and a few families.

Tests refer to people by name (``world.sw_amy``, ``world.child_sam``), as Zulip's tests refer
to hamlet and iago, so that a test reads like the situation it checks.
"""

from dataclasses import dataclass
from datetime import date

from safeguard.accounts.models import Agency, AgencyKind, LocalAuthority, Role, Team, User
from safeguard.people.models import Involvement, Person, Relationship
from safeguard.people.services import residence_add

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    authority: LocalAuthority
    other_authority: LocalAuthority
    csc: Agency
    police: Agency
    health: Agency
    education: Agency
    voluntary: Agency
    team_a: Team
    team_b: Team
    police_team: Team
    ed_team: Team
    sw_amy: User
    sw_ben: User
    tm_carol: User
    sm_dan: User
    analyst_eve: User
    police_pat: User
    health_hana: User
    school_sid: User
    voluntary_val: User
    clinician_cam: User
    admin_al: User
    disabled_dee: User
    other_sw: User
    chair_iris: User
    inspector_ian: User
    board_bea: User
    child_sam: Person
    child_sally: Person
    mother_mary: Person
    child_tom: Person
    unborn: Person
    outsider: Person

    @property
    def users_by_role(self) -> dict[str, User]:
        return {
            "social_worker": self.sw_amy,
            "team_manager": self.tm_carol,
            "service_manager": self.sm_dan,
            "performance_analyst": self.analyst_eve,
            "partner_police": self.police_pat,
            "partner_health": self.health_hana,
            "partner_education": self.school_sid,
            "partner_voluntary": self.voluntary_val,
            "unscheduled_care_clinician": self.clinician_cam,
            "system_administrator": self.admin_al,
            "disabled": self.disabled_dee,
            "conference_chair": self.chair_iris,
            "inspector": self.inspector_ian,
            "board_member": self.board_bea,
        }


def _user(username, agency, role, teams=(), first="", last="", active=True) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        agency=agency,
        role=role,
        first_name=first or username.title(),
        last_name=last or "Tester",
        is_active=active,
    )
    user.teams.set(teams)
    return user


def build_world() -> World:
    la = LocalAuthority.objects.create(name="Testshire Borough", dfe_la_code="991")
    other_la = LocalAuthority.objects.create(name="Elsewhere Council", dfe_la_code="992")
    csc = Agency.objects.create(
        authority=la, name="Testshire Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    other_csc = Agency.objects.create(
        authority=other_la,
        name="Elsewhere Children's Services",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
    )
    police = Agency.objects.create(authority=la, name="Testshire Police", kind=AgencyKind.POLICE)
    health = Agency.objects.create(
        authority=la, name="Testshire Health Trust", kind=AgencyKind.HEALTH
    )
    education = Agency.objects.create(
        authority=la, name="Testshire Schools", kind=AgencyKind.EDUCATION
    )
    voluntary = Agency.objects.create(
        authority=la, name="Testshire Family Action", kind=AgencyKind.VOLUNTARY
    )
    team_a = Team.objects.create(agency=csc, name="Child Protection Team A")
    team_b = Team.objects.create(agency=csc, name="Child Protection Team B")
    police_team = Team.objects.create(agency=police, name="Child Abuse Investigation Team")
    health_team = Team.objects.create(agency=health, name="Health Visiting")
    ed_team = Team.objects.create(agency=education, name="Oakfield Primary")
    ed_team_2 = Team.objects.create(agency=education, name="Hillside Academy")
    vol_team = Team.objects.create(agency=voluntary, name="Family Support")
    ae_team = Team.objects.create(agency=health, name="Emergency Department")

    w = {
        "authority": la,
        "other_authority": other_la,
        "csc": csc,
        "police": police,
        "health": health,
        "education": education,
        "voluntary": voluntary,
        "team_a": team_a,
        "team_b": team_b,
        "police_team": police_team,
        "ed_team": ed_team,
    }
    w["sw_amy"] = _user("amy", csc, Role.SOCIAL_WORKER, [team_a], "Amy", "Adeyemi")
    w["sw_ben"] = _user("ben", csc, Role.SOCIAL_WORKER, [team_b], "Ben", "Bailey")
    w["tm_carol"] = _user("carol", csc, Role.TEAM_MANAGER, [team_a], "Carol", "Chen")
    w["sm_dan"] = _user("dan", csc, Role.SERVICE_MANAGER, [], "Dan", "Doyle")
    w["analyst_eve"] = _user("eve", csc, Role.PERFORMANCE_ANALYST, [], "Eve", "Evans")
    w["police_pat"] = _user("pat", police, Role.PARTNER_PRACTITIONER, [police_team], "Pat", "Patel")
    w["health_hana"] = _user(
        "hana", health, Role.PARTNER_PRACTITIONER, [health_team], "Hana", "Hussain"
    )
    w["school_sid"] = _user(
        "sid", education, Role.PARTNER_PRACTITIONER, [ed_team_2], "Sid", "Singh"
    )
    w["voluntary_val"] = _user(
        "val", voluntary, Role.PARTNER_PRACTITIONER, [vol_team], "Val", "Vance"
    )
    w["clinician_cam"] = _user(
        "cam", health, Role.UNSCHEDULED_CARE_CLINICIAN, [ae_team], "Cam", "Cole"
    )
    w["admin_al"] = _user("al", csc, Role.SYSTEM_ADMINISTRATOR, [], "Al", "Ashby")
    w["disabled_dee"] = _user("dee", csc, Role.SOCIAL_WORKER, [team_a], "Dee", "Dunn", active=False)
    w["other_sw"] = _user("olly", other_csc, Role.SOCIAL_WORKER, [], "Olly", "Owen")
    w["chair_iris"] = _user("iris", csc, Role.CONFERENCE_CHAIR, [], "Iris", "Ingram")
    inspectorate = Agency.objects.create(authority=la, name="Ofsted", kind=AgencyKind.INSPECTORATE)
    w["inspector_ian"] = _user("ian", inspectorate, Role.INSPECTOR, [], "Ian", "Irving")
    # A councillor on the safeguarding partnership's board: of the council, in no team.
    w["board_bea"] = _user("bea", csc, Role.BOARD_MEMBER, [], "Bea", "Brooks")

    def person(**kw) -> Person:
        return Person.objects.create(authority=la, **kw)

    w["child_sam"] = person(
        given_names="Sam",
        family_name="Smith",
        date_of_birth=date(2015, 3, 14),
        sex="M",
        nhs_number="9434765919",
        la_child_id="T000001",
    )
    w["child_sally"] = person(
        given_names="Sally",
        family_name="Smith",
        date_of_birth=date(2018, 7, 2),
        sex="F",
        la_child_id="T000002",
    )
    w["mother_mary"] = person(
        given_names="Mary", family_name="Smith", date_of_birth=date(1990, 1, 20), sex="F"
    )
    w["child_tom"] = person(
        given_names="Tom",
        family_name="Jones",
        date_of_birth=date(2012, 11, 5),
        sex="M",
        la_child_id="T000003",
    )
    w["unborn"] = person(family_name="Jones", expected_date_of_birth=date(2030, 1, 1), sex="U")
    w["outsider"] = Person.objects.create(
        authority=other_la, given_names="Olive", family_name="Other", date_of_birth=date(2016, 4, 4)
    )
    for child in (w["child_sam"], w["child_sally"]):
        Relationship.objects.create(
            person=w["mother_mary"], other=child, kind="parent", start_date=child.date_of_birth
        )
    Relationship.objects.create(person=w["child_sam"], other=w["child_sally"], kind="sibling")
    for p in (w["mother_mary"], w["child_sam"], w["child_sally"]):
        residence_add(
            by=w["sw_amy"],
            person=p,
            line_1="1 Test Street",
            town="Testshire",
            postcode="TE1 1ST",
            start_date=date(2019, 1, 1),
        )

    start = date(2024, 1, 1)
    Involvement.objects.create(
        person=w["child_sam"],
        agency=csc,
        team=team_a,
        worker=w["sw_amy"],
        role="Allocated social worker",
        start_date=start,
    )
    Involvement.objects.create(
        person=w["child_sally"],
        agency=csc,
        team=team_a,
        worker=w["sw_amy"],
        role="Allocated social worker",
        start_date=start,
    )
    Involvement.objects.create(
        person=w["child_tom"],
        agency=csc,
        team=team_b,
        worker=w["sw_ben"],
        role="Allocated social worker",
        start_date=start,
    )
    # Partners: police through their team, health through a named worker, school through a
    # closed involvement only (so the school sees nothing now).
    Involvement.objects.create(
        person=w["child_sam"],
        agency=police,
        team=police_team,
        role="Investigating officer",
        start_date=start,
    )
    Involvement.objects.create(
        person=w["child_sally"],
        agency=health,
        worker=w["health_hana"],
        role="Health visitor",
        start_date=start,
    )
    Involvement.objects.create(
        person=w["child_tom"],
        agency=education,
        team=ed_team_2,
        role="Designated safeguarding lead",
        start_date=start,
        end_date=date(2025, 1, 1),
    )
    Involvement.objects.create(
        person=w["child_tom"],
        agency=voluntary,
        worker=w["voluntary_val"],
        role="Family support worker",
        start_date=start,
    )
    return World(**w)
