"""Documents on a case: upload (checked by content) and the only way to read them, as a download."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from inka.cases import services, uploads
from inka.cases.forms import DocumentForm
from inka.cases.views.base import get_case
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page


@require_http_methods(["GET", "POST"])
def document_upload(request: InkaRequest, case_pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document has been stored."))
            return redirect(f"{case.get_absolute_url()}#dokumente")
    return form_page(request, "cases/document_form.html", {"form": form, "case": case, "access": access})


@require_GET
def document_download(request: InkaRequest, case_pk: int, pk: int) -> FileResponse:
    case, _access = get_case(request, case_pk)
    document = get_object_or_404(case.documents, pk=pk)
    path = uploads.path_of(document.stored_name)
    if not path.is_file():
        raise Http404
    log_access(request, action="document.download", site_id=case.site_id, records=[document])
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    # Even if a browser tried to render it, the file could run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
