# The target record is John Smith (child_sam): allocated to the social worker's team and
# involving the police team only.
EDIT_PAGE = [302, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404, 302, 404]

MATRIX = {
    "people:search": ("get", None, "?name=smith", [302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 302, 200]),
    "people:create": ("get", None, "", [302, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 200]),
    "people:detail": ("get", "child_sam", "", [302, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 302, 404]),
    "people:edit": ("get", "child_sam", "", EDIT_PAGE),
    "people:address-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:name-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:relationship-add": ("get", "child_sam", "", EDIT_PAGE),
    "people:involvement-add": ("get", "child_sam", "", EDIT_PAGE),
    "api:person-search": ("get", None, "?name=smith", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401, 200]),
    "api:person-detail": ("get", "child_sam", "", [401, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 401, 404]),
}
