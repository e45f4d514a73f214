"""The installations the operations tests start from: the settings of a fresh install and of
one configured for live use, and a staff file with someone in every role."""

# The settings a fresh install runs with (safeguard/settings.py, no environment).
FRESH = {
    "SAFEGUARD_SECRET_KEY_FROM_ENVIRONMENT": False,
    "SAFEGUARD_AUDIT_KEY_FROM_ENVIRONMENT": False,
    "DEBUG": False,
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "SAFEGUARD_BEHIND_PROXY": False,
    "SAFEGUARD_TRUSTED_PROXIES": [],
    "SAFEGUARD_BASE_URL": "http://127.0.0.1:8000",
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
}
# Configured for live use: keys from the environment, HTTPS behind a TLS proxy, real email.
CONFIGURED = {
    "SAFEGUARD_SECRET_KEY_FROM_ENVIRONMENT": True,
    "SECRET_KEY": "k3Yx9-QwErTy7uIoP0aSdFgHjKl1zXcVbNm2QaZ8sWxEdCrFvTgByHnUjMiK",
    "SAFEGUARD_AUDIT_KEY_FROM_ENVIRONMENT": True,
    "DEBUG": False,
    "ALLOWED_HOSTS": ["safeguard.northby.example"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SAFEGUARD_BEHIND_PROXY": True,
    "SAFEGUARD_TRUSTED_PROXIES": ["10.0.0.5"],
    "SAFEGUARD_BASE_URL": "https://safeguard.northby.example",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}

STAFF = "username,given_name,family_name,email,role,agency,agency_kind,team,job_title\n" + "".join(
    f"{username},Given,Family,{username}@northby.example,{role},{agency},{kind},{team},\n"
    for username, role, agency, kind, team in [
        ("sw1", "social_worker", "Northby CSC", "csc", "Assessment"),
        ("tm1", "team_manager", "Northby CSC", "csc", "Assessment"),
        ("tm2", "team_manager", "Northby CSC", "csc", "Child protection"),
        ("sm1", "service_manager", "Northby CSC", "csc", ""),
        ("pa1", "performance_analyst", "Northby CSC", "csc", "Performance"),
        ("tm3", "team_manager", "Northby CSC", "csc", "Performance"),
        ("pp1", "partner_practitioner", "Northby Police", "police", "Public protection"),
        ("uc1", "unscheduled_care_clinician", "Northby Hospital", "health", "Emergency department"),
        ("ad1", "system_administrator", "Northby CSC", "csc", ""),
        ("ch1", "conference_chair", "Northby CSC", "csc", ""),
    ]
)
