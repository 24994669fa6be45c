"""The record of processing activities (Art. 30 GDPR), generated from the field registry: a page, a
PDF and a machine-readable JSON file. For the data protection officer; the technical administration
may read it too (it holds no personal data, only what INKA processes and why)."""

import json
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inka.core.http import InkaRequest
from inka.core.pdf import css_string, html_to_pdf, page_counter_css
from inka.core.permissions import Role, require_programme_role
from inka.core.registry import MEASURES, Category, RetentionRule, processing_record
from inka.programme.models import Carrier, Programme

FILE_STEM = "verzeichnis-verarbeitungstaetigkeiten"


def _context(request: InkaRequest) -> dict[str, Any]:
    """403 unless dpo or admin; the record with the carriers (the controllers) and the measures."""
    require_programme_role(request, Role.DPO, Role.ADMIN)
    programme = Programme.objects.order_by("pk").first()
    carriers = Carrier.objects.filter(periods__ends_on__isnull=True).distinct().order_by("name")
    return {
        "record": processing_record(),
        "measures": MEASURES,
        "programme": programme,
        "carriers": [carrier.name for carrier in carriers],
        "today": timezone.localdate(),
    }


@require_GET
def records_of_processing(request: InkaRequest) -> HttpResponse:
    return render(request, "privacy/records_of_processing.html", _context(request))


@require_GET
def records_of_processing_pdf(request: InkaRequest) -> HttpResponse:
    context = _context(request)
    title = _("Record of processing activities")
    html = render_to_string(
        "privacy/records_of_processing_pdf.html",
        {
            **context,
            "title": title,
            "page_counter": page_counter_css(),
            "footer_css": css_string(
                f"{title} · {formats.date_format(context['today'], 'SHORT_DATE_FORMAT')}"
            ),
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{FILE_STEM}-{context["today"]}.pdf"'
    return response


@require_GET
def records_of_processing_json(request: InkaRequest) -> HttpResponse:
    """The registry, machine-readable: every activity with its texts and every field with its category."""
    context = _context(request)
    data = {
        "title": _("Record of processing activities"),
        "generated_on": context["today"].isoformat(),
        "controllers": context["carriers"],
        "coordinating_body": context["programme"].coordinating_body if context["programme"] else "",
        "categories": {category.value: str(category.label) for category in Category},
        "retention_rules": {rule.value: str(rule.label) for rule in RetentionRule},
        "measures": [
            {"code": code, "title": str(title), "description": str(text)} for code, title, text in MEASURES
        ],
        "activities": [
            {
                "key": entry["activity"].key,
                **entry["texts"],
                "retention_rule": entry["activity"].retention_rule,
                "models": entry["models"],
            }
            for entry in context["record"]
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{FILE_STEM}-{context["today"]}.json"'
    return response
