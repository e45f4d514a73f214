"""In-app notices to one member of staff, such as "someone broke the glass on a record you
hold". A notice is a message, not part of any record: it names no child."""

from django.conf import settings
from django.db import models


class Notice(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True, help_text="Where to act on it")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_read")]

    def __str__(self) -> str:
        return self.subject
