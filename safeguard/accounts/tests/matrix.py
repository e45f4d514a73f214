MATRIX = {
    "accounts:sign-in": ("get", None, "", [200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "accounts:sign-out": ("get", None, "", [405] * 13),
    # The second-factor steps: anonymous visitors go to sign in, verified users on to their
    # work (signed-in-but-unverified users are covered in tests/test_unverified.py).
    "accounts:two-factor": ("get", None, "", [302] * 13),
    "accounts:two-factor-setup": ("get", None, "", [302] * 13),
    "accounts:backup-codes": ("get", None, "", [302] * 13),
}
