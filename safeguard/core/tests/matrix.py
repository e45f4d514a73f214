# Saving a draft is a POST; a GET is refused for everyone.
MATRIX = {
    "core:draft-save": ("get", None, "", [405] * 13),
}
