"""The returns are made by services (``returns/services``): the worker's task keeps on the job
what the service returned, and runs no management command (it once ran ``import_cin`` and
read its printed output back); the command says the same result in its own words."""

import io
import sys
from collections import Counter

import pytest
from django.core.management import call_command

from safeguard.accounts.roles import Role
from safeguard.audit.models import ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.returns import services, tasks
from safeguard.returns.models import JobKind, JobStatus, ReturnJob
from safeguard.returns.tests.test_cin_export import records  # noqa: F401 (a fixture)
from safeguard.returns.tests.test_cin_import import message, one_child

COMMANDS = "safeguard.returns.management.commands."


@pytest.fixture(autouse=True)
def returns_dir(settings, tmp_path):
    settings.SAFEGUARD_RETURNS_DIR = tmp_path / "returns"
    settings.SAFEGUARD_RETURNS_DIR.mkdir()


@pytest.fixture
def commands_unloaded(monkeypatch):
    """The returns' command modules are forgotten for the test (and put back after it), so
    that the test can tell whether anything loaded one."""
    for name in [m for m in sys.modules if m.startswith(COMMANDS)]:
        monkeypatch.delitem(sys.modules, name)


def commands_loaded() -> list[str]:
    return [m for m in sys.modules if m.startswith(COMMANDS)]


def spy(monkeypatch, name: str) -> list:
    """Record what ``services.<name>`` returns each time the task calls it."""
    made, real = [], getattr(services, name)

    def call(**kwargs):
        made.append(real(**kwargs))
        return made[-1]

    monkeypatch.setattr(services, name, call)
    return made


@pytest.mark.django_db
def test_an_import_job_keeps_the_services_result_and_runs_no_command(
    world, monkeypatch, commands_unloaded
):
    job = ReturnJob.objects.create(kind=JobKind.CIN_IMPORT, authority=world.authority,
                                   started_by=world.admin_al,
                                   options={"files": ["01-a.xml"], "skip_invalid": True})  # fmt: skip
    folder = job.folder / services.UPLOADS
    folder.mkdir(parents=True)
    (folder / "01-a.xml").write_bytes(b"<Message/>")
    calls = []

    def import_cin(**kwargs):
        # Numbers no real import of that file could give: the job can only have them from
        # the result object, not from reading a command's output.
        calls.append(kwargs)
        return services.CinImport(
            authority=world.authority, files=[], by=world.admin_al, imported=7,
            created=Counter({"cases": 3}), updated=Counter({"people": 2}), left=1,
            report=[f"{folder / '01-a.xml'}:", "  line 9: child C9: changed in Safeguard"],
        )  # fmt: skip

    monkeypatch.setattr(services, "import_cin", import_cin)
    assert tasks.run_return_job.call(str(job.pk)) == JobStatus.DONE

    job.refresh_from_db()
    (call,) = calls
    assert call["files"] == [folder / "01-a.xml"] and call["by"] == world.admin_al
    assert (call["authority"], call["skip_invalid"]) == (world.authority, True)
    assert job.summary == (
        "Imported 7 children for Testshire Borough (991): created 3 cases; changed 2 people. "
        "1 child left as recorded, for a person to resolve (listed above). By al."
    )
    assert job.report == [{"text": "01-a.xml:"},
                          {"text": "  line 9: child C9: changed in Safeguard"}]  # fmt: skip
    assert not folder.exists()  # the uploads are not kept
    assert commands_loaded() == []


@pytest.mark.django_db
def test_an_import_job_refused_by_the_service_says_why(world, monkeypatch, commands_unloaded):
    world.admin_al.role = Role.PERFORMANCE_ANALYST  # no longer allowed to import
    world.admin_al.save()
    job = ReturnJob.objects.create(kind=JobKind.CIN_IMPORT, authority=world.authority,
                                   started_by=world.admin_al,
                                   options={"files": ["01-a.xml"], "skip_invalid": False})  # fmt: skip
    folder = job.folder / services.UPLOADS
    folder.mkdir(parents=True)
    (folder / "01-a.xml").write_text(message(one_child("OK1")))
    assert tasks.run_return_job.call(str(job.pk)) == JobStatus.REFUSED
    job.refresh_from_db()
    assert job.summary == (
        "al may not import census files into Testshire Borough: only its system "
        "administrators may. Nothing was imported."
    )
    assert job.report == [] and not folder.exists()
    assert commands_loaded() == []


@pytest.mark.django_db
def test_a_cin_export_job_and_the_command_say_the_same_result(
    world, records, monkeypatch, tmp_path, commands_unloaded  # noqa: F811
):
    made = spy(monkeypatch, "export_cin")
    job = ReturnJob.objects.create(kind=JobKind.CIN_EXPORT, authority=world.authority,
                                   started_by=world.analyst_eve, options={"year": "2025-26"})  # fmt: skip
    assert tasks.run_return_job.call(str(job.pk)) == JobStatus.DONE
    assert commands_loaded() == []

    job.refresh_from_db()
    (result,) = made
    assert result.path == job.folder / job.result_file and result.path.is_file()
    assert (result.children, result.episodes) == (1, 1)
    assert job.people == [str(world.child_sam.pk)] == [str(pk) for pk in result.person_ids]
    assert job.summary == f"{result.title}: {result.counts}"
    assert job.report == result.report_rows()

    out, err = io.StringIO(), io.StringIO()
    output = tmp_path / "cin.xml"
    call_command("export_cin", "--year", "2025-26", "--output", str(output),
                 "--authority-code", "991", stdout=out, stderr=err)  # fmt: skip
    again = made[-1]
    assert (again.children, again.episodes, again.failures) == (
        result.children, result.episodes, result.failures,
    )  # fmt: skip
    assert out.getvalue() == f"Wrote {output}: {result.title}, {result.counts}\n"
    assert err.getvalue().splitlines() == result.report_lines()


@pytest.mark.django_db
def test_the_import_service_refuses_anyone_but_a_system_administrator(world, tmp_path):
    path = tmp_path / "a.xml"
    path.write_text(message(one_child("OK1")))
    events = ChangeEvent.objects.count()
    for user in (world.analyst_eve, world.sm_dan, world.sw_amy):
        with pytest.raises(ApplicationError, match="may not import census files"):
            services.import_cin(files=[path], authority=world.authority, by=user)
    assert ChangeEvent.objects.count() == events
    made = services.import_cin(files=[path], authority=world.authority, by=world.admin_al)
    assert (made.refused, made.imported, made.by) == ("", 1, world.admin_al)
    assert made.read_lines() == [f"Read {path}: CIN census 2025-26 (LA 991), 1 children."]
