"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py). The API's
keyed calls are not session pages: ``test_api.py`` checks their keys."""

from safeguard.partners import services
from safeguard.partners.tests.contributions import make_invitation, police_action
from safeguard.partners.tests.referrals import make_referral
from safeguard.partners.tests.requests import make_request
from safeguard.protection.tests.matrix import CONFERENCE_RECORD
from safeguard.testing.matrix import CASE_NARRATIVE, CASE_RECORD, WHO, row

# The lookup: the unscheduled-care clinician only.
LOOKUP = row(302, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 302, 403, 403, 403)
# Sending a referral, and the list of one's own: staff of partner agencies (police, health,
# education, voluntary sector; the clinician works for a health trust), nobody else.
REFER = row(302, 403, 403, 403, 403, 200, 200, 200, 200, 200, 403, 302, 403, 403, 403)
# One referral, sent by the police practitioner: its sender and the front door (social
# workers and managers, who record contacts); other partners do not find it.
REFERRAL = row(302, 200, 200, 200, 403, 200, 404, 404, 404, 404, 403, 302, 404, 403, 403)
# Recording it as a contact: the front door only; its sender is refused.
RECORD = row(302, 200, 200, 200, 403, 403, 404, 404, 404, 404, 403, 302, 404, 403, 403)
# Information requests (decision 0066). The requests for one's agency: staff of partner
# agencies (the clinician works for the health trust, which may be asked).
AGENCY_REQUESTS = row(302, 403, 403, 403, 403, 200, 200, 200, 200, 200, 403, 302, 403, 403, 403)
# One request, from Amy to the police about Sam, nobody named: social care who record and see
# Sam, and the police; not another agency (404), nor analysts, chairs, administrators or
# inspectors (403: requests are narrative, for those who work with the child).
REQUEST = row(302, 200, 200, 200, 403, 200, 404, 404, 404, 404, 403, 302, 404, 403, 403)
# The requests one sent: social care who record (anyone of them, another authority's too: the
# list is their own).
SENT_REQUESTS = row(302, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 200, 403, 403)
# Response times by agency: managers and analysts.
RESPONSE_TIMES = row(302, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
# Information-sharing decisions about Sam (decision 0070): social care who record (narrative,
# so not analysts or chairs: 403), and the police, whose team is involved with him (their own
# agency's decisions); partners not involved, the clinician, administrators, inspectors and
# another authority do not find him (404).
SHARING = row(302, 200, 200, 200, 403, 200, 404, 404, 404, 404, 404, 302, 404, 403, 404)

# Contributions (decision 0069). One's invitations and one's agency's plan actions: staff of
# partner agencies (each sees only their own).
PARTNER_LISTS = AGENCY_REQUESTS
# One invitation, of the police practitioner to Sam's conference: the practitioner, and social
# care who may hold the conference (its workers, managers and the chairs); not analysts (403:
# reports are narrative), nor another agency's staff (404), nor inspectors.
INVITATION = row(302, 200, 200, 200, 403, 200, 404, 404, 404, 404, 403, 302, 404, 200, 403)
# Withdrawing it (decision 0073): whoever may invite to the conference (its workers and
# managers, the chairs); the practitioner invited reads it but may not withdraw it (403).
WITHDRAW = row(302, 200, 200, 200, 403, 403, 404, 404, 404, 404, 403, 302, 404, 200, 403)
# One plan action owned by the police, and the police's progress on it (the page its
# chronology entry links to): the police, and social care who may hold the case's conferences
# (not analysts: the notes are narrative); other partners do not find it.
AGENCY_ACTION = row(302, 200, 200, 200, 403, 200, 404, 404, 404, 404, 404, 302, 404, 200, 404)
AGENCY_PROGRESS = AGENCY_ACTION


def invitation_of_police(world):
    return {"invitation_id": make_invitation(world).pk}


def police_action_of_sam(world):
    return {"action_id": police_action(world).pk}


def police_progress_of_sam(world):
    action = police_action(world)
    progress = services.agency_action_progress(
        by=world.police_pat, action=action, status="in_progress", note="Enquiry started."
    )
    return {"progress_id": progress.pk}


def referral_from_police(world):
    return {"referral_id": make_referral(world).pk}


def request_to_police(world):
    return {"request_id": make_request(world).pk}


TARGETS = {
    "referral_from_police": referral_from_police,
    "request_to_police": request_to_police,
    "invitation_of_police": invitation_of_police,
    "police_action_of_sam": police_action_of_sam,
    "police_progress_of_sam": police_progress_of_sam,
}

MATRIX = {
    "partners:lookup": ("get", None, "", LOOKUP),
    "partners:refer": ("get", None, "", REFER),
    "partners:referrals": ("get", None, "", REFER),
    "partners:referral": ("get", "referral_from_police", "", REFERRAL),
    "partners:referral-record": ("get", "referral_from_police", "", RECORD),
    # The child's requests and a new one: pages of Sam's case file (narrative; recording).
    "partners:child-requests": ("get", "child_sam", "", CASE_NARRATIVE),
    "partners:information-request-new": ("get", "child_sam", "", CASE_RECORD),
    "partners:sharing-decisions": ("get", "child_sam", "", SHARING),
    "partners:agency-requests": ("get", None, "", AGENCY_REQUESTS),
    "partners:sent-requests": ("get", None, "", SENT_REQUESTS),
    "partners:information-request": ("get", "request_to_police", "", REQUEST),
    "partners:response-times": ("get", None, "", RESPONSE_TIMES),
    "partners:response-times-csv": ("get", None, "", RESPONSE_TIMES),
    "partners:case-invitations": ("get", "protection.case", "", CONFERENCE_RECORD),
    "partners:invitation-new": ("get", "protection.case", "", CONFERENCE_RECORD),
    "partners:contributions": ("get", None, "", PARTNER_LISTS),
    "partners:contribution": ("get", "invitation_of_police", "", INVITATION),
    "partners:invitation-withdraw": ("get", "invitation_of_police", "", WITHDRAW),
    # Marking who attended a conference of Sam's (decision 0073): who may hold it.
    "partners:conference-attendance": ("get", "protection.conference", "", CONFERENCE_RECORD),
    "partners:agency-actions": ("get", None, "", PARTNER_LISTS),
    "partners:agency-action": ("get", "police_action_of_sam", "", AGENCY_ACTION),
    "partners:agency-progress": ("get", "police_progress_of_sam", "", AGENCY_PROGRESS),
    # A browser session is no key: everyone, signed in or not, gets 401.
    "api:child-protection-status": ("get", None, "?nhs_number=9434765919", [401] * len(WHO)),
    "api:fhir-flag-search": ("get", None, "?nhs_number=9434765919", [401] * len(WHO)),
}
