"""Reviews of a membership become records of their own. Every membership
that already has a verdict gets one review carrying it over: its verdict and
reasoning, no reviewer (not recorded before) and, as the day of the review
was not recorded either, an estimate: a year before the next review (not
after today), or today when there is no next review. Such reviews are marked
``carried_over``. Going back deletes them again."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _a_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def carry_over_verdicts(apps, schema_editor):
    Membership = apps.get_model("networks", "Membership")
    MembershipReview = apps.get_model("networks", "MembershipReview")
    today = timezone.localdate()
    reviews = []
    for membership in Membership.objects.exclude(verdict="").order_by("pk"):
        next_review_on = membership.review_on
        reviewed_on = min(today, _a_year_before(next_review_on)) if next_review_on else today
        reviews.append(
            MembershipReview(
                membership=membership,
                verdict=membership.verdict,
                reasoning=membership.verdict_note,
                reviewed_on=reviewed_on,
                next_review_on=next_review_on,
                reviewer_name="",
                carried_over=True,
            )
        )
    MembershipReview.objects.bulk_create(reviews)


def drop_carried_over(apps, schema_editor):
    apps.get_model("networks", "MembershipReview").objects.filter(carried_over=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MembershipReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "verdict",
                    models.CharField(
                        choices=[("keep", "Keep"), ("reduce", "Reduce"), ("leave", "Leave")],
                        max_length=10,
                        verbose_name="verdict",
                    ),
                ),
                (
                    "reasoning",
                    models.TextField(
                        help_text="What the membership yields: expertise, project partners, funding leads.",
                        verbose_name="reasoning",
                    ),
                ),
                ("reviewed_on", models.DateField(verbose_name="reviewed on")),
                (
                    "next_review_on",
                    models.DateField(
                        blank=True,
                        help_text="Empty only when the verdict is to leave.",
                        null=True,
                        verbose_name="next review",
                    ),
                ),
                (
                    "reviewer_name",
                    models.CharField(blank=True, editable=False, max_length=300, verbose_name="reviewer's name"),
                ),
                (
                    "carried_over",
                    models.BooleanField(
                        default=False, editable=False, verbose_name="taken over from before reviews were kept"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                (
                    "membership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="networks.membership",
                        verbose_name="membership",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reviewer",
                    ),
                ),
            ],
            options={
                "verbose_name": "membership review",
                "verbose_name_plural": "membership reviews",
                "ordering": ["-reviewed_on", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("next_review_on__isnull", True),
                            ("next_review_on__gt", models.F("reviewed_on")),
                            _connector="OR",
                        ),
                        name="membership_review_next_after_review",
                        violation_error_message="The next review must be after this one.",
                    )
                ],
            },
        ),
        migrations.RunPython(carry_over_verdicts, drop_carried_over),
    ]
