"""Authentication events: logged, and sessions recorded or ended; and ``account_changed``,
the signal every change to an account sends so that the audit app can record it."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver

from safeguard.accounts import sessions
from safeguard.accounts.models import User
from safeguard.core.client_ip import client_ip

logger = logging.getLogger("safeguard.auth")

# Sent by ``accounts.services`` inside the transaction of every change to an account, with
# ``by`` (who changed it, None for the system itself), ``user`` (the account), ``verb``
# ("created", "updated"), and ``before`` and ``after`` (what changed, as JSON-safe dicts).
# The audit app, above accounts, records it as a change event (``audit.accounts``, connected
# in its ``AppConfig.ready()``); a receiver that fails rolls the change back (decision 0024).
account_changed = Signal()
# The same for the organisation staff belong to: an agency or a team made or changed by
# ``accounts.services`` (``by``, ``obj``, ``verb``, ``before``, ``after``), recorded by
# ``audit.accounts`` as a change event about that record.
organisation_changed = Signal()


def _address(request) -> str:
    return getattr(request, "axes_ip_address", None) or client_ip(request) or ""


@receiver(user_logged_in, dispatch_uid="safeguard-signed-in")
def _signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    sessions.record_sign_in(request, user)
    logger.info("Password accepted for %s from %s", user.get_username(), _address(request))


@receiver(user_logged_out, dispatch_uid="safeguard-signed-out")
def _signed_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.forget_session(request.session.session_key)
    if user is not None:
        logger.info("Signed out: %s", user.get_username())


@receiver(user_login_failed, dispatch_uid="safeguard-sign-in-failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    logger.warning(
        "Sign-in failed for %r from %s%s",
        credentials.get("username"),
        _address(request),
        " (second factor)" if credentials.get("second_factor") else "",
    )


@receiver(user_locked_out, dispatch_uid="safeguard-locked-out")
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    logger.warning("Locked out: %r from %s", username, ip_address)
    from safeguard.accounts import services

    services.record_lockout(username, ip_address=ip_address)


@receiver(pre_save, sender=User, dispatch_uid="safeguard-user-changing")
def _note_what_changes(sender, instance, **kwargs):
    """Remember whether this save disables the account or changes its password."""
    instance._end_sessions_reason = None
    if instance.pk is None:
        return
    before = User.objects.filter(pk=instance.pk).values("is_active", "password").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        instance._end_sessions_reason = "account disabled"
    elif before["password"] != instance.password:
        instance._end_sessions_reason = "password changed"


@receiver(post_save, sender=User, dispatch_uid="safeguard-user-changed")
def _end_sessions_when_needed(sender, instance, created, **kwargs):
    reason = getattr(instance, "_end_sessions_reason", None)
    if reason:
        instance._end_sessions_reason = None
        from safeguard.accounts import services

        # By whoever the service says made the change; by no one for a save made outside
        # the services (then recorded only when sessions were ended).
        by = getattr(instance, "_changed_by", None)
        services.end_sessions(instance, by=by, reason=reason, only_if_any=True)
