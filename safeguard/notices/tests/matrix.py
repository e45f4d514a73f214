# A notice belongs to the one member of staff it was sent to (here the social worker).
def notice_for_amy(world):
    from safeguard.notices.services import notify

    (notice,) = notify(users=[world.sw_amy], subject="Test notice", body="For Amy only")
    return {"notice_id": notice.pk}


TARGETS = {"notice_for_amy": notice_for_amy}

MATRIX = {
    "notices:list": ("get", None, "", [302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302, 200, 200, 200, 200]),
    # An inspector posts nothing, not even marking a notice read (decision 0042): 403.
    "notices:read": ("post", "notice_for_amy", "", [302, 302, 404, 404, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 403]),
    "notices:read-all": ("post", None, "", [302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 403]),
}
