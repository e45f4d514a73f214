MATRIX = {
    "accounts:sign-in": ("get", None, "", [200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 200, 302]),
    "accounts:sign-out": ("get", None, "", [405] * 13),
}
