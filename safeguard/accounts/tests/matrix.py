MATRIX = {
    "accounts:sign-in": ("get", None, "", [200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 200, 302, 302, 302]),
    "accounts:sign-out": ("get", None, "", [405] * 15),
    # The second-factor steps: anonymous visitors go to sign in, verified users on to their
    # work (signed-in-but-unverified users are covered in tests/test_unverified.py).
    "accounts:two-factor": ("get", None, "", [302] * 15),
    "accounts:two-factor-setup": ("get", None, "", [302] * 15),
    "accounts:backup-codes": ("get", None, "", [302] * 15),
    # An invitation link is the same page for everyone: an unknown token is 404 (a real one
    # is tested in tests/test_invitations.py: used or expired 410, open 200).
    "accounts:invitation": ("get", "unknown_invitation", "", [404] * 15),
}

TARGETS = {"unknown_invitation": lambda world: {"token": "no-such-invitation"}}
