from safeguard.testing.matrix import row

MATRIX = {
    # Saving and discarding drafts are POSTs; a GET is refused for everyone.
    "core:draft-save": ("get", None, "", [405] * 15),
    "core:draft-discard": ("get", None, "", [405] * 15),
    # Anyone signed in may ask for their own draft of a page (they get only their own).
    "core:draft-load": (
        "get",
        None,
        "?key=/people/new/",
        row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401, 200, 200, 200, board_member=200),
    ),
}
