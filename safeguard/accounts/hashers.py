from django.contrib.auth.hashers import Argon2PasswordHasher


class SafeguardArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at the OWASP ASVS 5.0 appendix C floor (t=2, m=19 MiB, p=1).

    Django's default (m=100 MiB, p=8) would need about 5 GiB for 50 simultaneous sign-ins on
    a two-core server; this keeps the recommended strength at a fifth of the memory.
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
