"""The data-protection role's group and team, and the retention schedule's first rows.

The group's name matches ``kernel.roles.Role.DATA_PROTECTION``'s label (the other roles' groups
are made by accounts' 0002). The schedule is a frozen copy: managers edit it in the admin
afterwards, and existing rows are left alone.
"""

from django.db import migrations

GROUP = "Data protection"

SCHEDULE = [
    {
        "code": "repairs.closed",
        "record_type": "Repairs",
        "keep_years": 6,
        "after": "the repair was closed",
        "action": "anonymise",
        "legal_basis": "Claims about disrepair or injury can be brought for 6 years (Limitation "
        "Act 1980 s2 and s5). We keep the repair's dates and clocks without your words and "
        "photos after that, for the regulator's figures.",
    },
    {
        "code": "complaints.closed",
        "record_type": "Complaints",
        "keep_years": 6,
        "after": "the complaint was closed",
        "action": "anonymise",
        "legal_basis": "The Housing Ombudsman may ask for a complaint's records, and claims can "
        "be brought for 6 years (Limitation Act 1980).",
    },
    {
        "code": "asb.closed",
        "record_type": "Anti-social behaviour, hate crime and domestic abuse reports",
        "keep_years": 6,
        "after": "the case was closed",
        "action": "anonymise",
        "legal_basis": "Court action about a tenancy (possession, injunctions) can rely on "
        "these records for 6 years (Limitation Act 1980).",
    },
    {
        "code": "enquiries.closed",
        "record_type": "Questions and contacts",
        "keep_years": 2,
        "after": "the enquiry was closed",
        "action": "anonymise",
        "legal_basis": "Kept long enough to follow up and to answer a complaint about our "
        "service.",
    },
    {
        "code": "enquiries.callbacks",
        "record_type": "Call back requests",
        "keep_years": 1,
        "after": "the call back was closed",
        "action": "anonymise",
        "legal_basis": "Kept long enough to answer a complaint about our service.",
    },
    {
        "code": "enquiries.chat_transcripts",
        "record_type": "Web chat transcripts",
        "keep_years": 1,
        "after": "the chat ended",
        "action": "delete",
        "legal_basis": "Kept long enough to answer a complaint about a chat.",
    },
    {
        "code": "calls.recording_metadata",
        "record_type": "Call recordings' details (who called, when, how long)",
        "keep_years": 1,
        "after": "the call",
        "action": "delete",
        "legal_basis": "Kept for quality and to answer a complaint about a call. This portal "
        "keeps no call recordings; the telephone system applies this period.",
    },
    {
        "code": "accounts.former_tenants",
        "record_type": "Sign-ins of former tenants",
        "keep_years": 2,
        "after": "the tenancy ended",
        "action": "anonymise",
        "legal_basis": "A former tenant may still need their old cases and messages for a "
        "while; the housing record of the tenancy is kept for 6 years under the rules above.",
    },
]


def seed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    apps.get_model("casework", "Team").objects.get_or_create(
        name="Data protection", defaults={"role": "data_protection"}
    )
    RetentionRule = apps.get_model("dataprotection", "RetentionRule")
    existing = set(RetentionRule.objects.values_list("code", flat=True))
    RetentionRule.objects.bulk_create(
        RetentionRule(**row) for row in SCHEDULE if row["code"] not in existing
    )


def unseed(apps, schema_editor):
    apps.get_model("dataprotection", "RetentionRule").objects.filter(
        code__in=[row["code"] for row in SCHEDULE], runs__isnull=True
    ).delete()
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dataprotection", "0002_seed_dataprotection_commitments"),
        ("accounts", "0002_create_role_groups"),
        ("casework", "0004_team_role_data_protection"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
