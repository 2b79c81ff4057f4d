"""PD certificates: an attendee's own (the name to print, the PDF, the printable page), the public
page that confirms one, and the organizer's settings, list, revoking and exports."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from app import i18n
from app.deps import CsrfChecked, CsrfToken, CurrentAttendee, EventDep, FormDep, OrganizerDep, RowId, SessionDep
from app.domain import certificate_files, certificates, phases
from app.domain.certificate_files import certificate_view
from app.domain.errors import DomainError, NotFound
from app.i18n import _
from app.models import Attendee, Certificate, Event
from app.routes import forms
from app.routes.attendee import join_url
from app.routes.qr import qr_svg
from app.templating import public_url, render

router = APIRouter(prefix="/e/{code}")


def _verify_url(request: Request, event: Event, certificate: Certificate) -> str:
    return public_url(
        request, "certificate_verify", code=event.code, verification=certificates.display_code(certificate.code)
    )


def _view(request: Request, event: Event, certificate: Certificate) -> certificate_files.CertificateView:
    return certificate_view(event, certificate, verify_url=_verify_url(request, event, certificate))


# An attendee's own ---------------------------------------------------------------------------------


class NameForm(forms.FormModel):
    name: forms.Text = ""


def _my_page(
    request: Request,
    session: Session,
    event: Event,
    attendee: Attendee,
    csrf: str,
    *,
    typed: FormData | None = None,
    error: DomainError | None = None,
) -> Response:
    certificate = certificates.certificate_of(session, attendee=attendee)
    tally = certificates.tally_for(session, event=event, attendee=attendee)
    context = {
        "event": event,
        "attendee": attendee,
        "csrf": csrf,
        "certificate": certificate,
        "view": _view(request, event, certificate) if certificate else None,
        "tally_hours": certificate_files.hours_words(tally.minutes),
        "tally": tally,
        "open": phases.is_allowed(event, "get_certificate"),
        "phase_note": ""
        if phases.is_allowed(event, "get_certificate")
        else phases.refusal("get_certificate", event.phase),
        "survey_needed": event.pd_needs_survey and not certificates.survey_done(session, attendee=attendee),
        "typed": typed["name"]
        if typed is not None and "name" in typed
        else (certificate.name if certificate else attendee.name),
        "done": request.query_params.get("done", ""),
        "error": error,
    }
    return render(request, "attendee/certificate.html", context, status_code=error.status_code if error else 200)


@router.get("/my/certificate", name="my_certificate")
def my_certificate(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken
) -> Response:
    """One's PD hours so far and one's certificate: type the name to print, then download or print it."""
    if attendee is None:
        return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
    return _my_page(request, session, event, attendee, csrf)


@router.post("/my/certificate", name="my_certificate_issue", dependencies=[CsrfChecked])
def my_certificate_issue(
    request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee, csrf: CsrfToken, form: FormDep
) -> Response:
    """Issue (or update) one's certificate with the name typed."""
    if attendee is None:
        return RedirectResponse(request.url_for("event_page", code=event.code), status_code=303)
    try:
        f = NameForm.parse(form)
        certificates.issue_certificate(session, event=event, attendee=attendee, name=f.name)
    except DomainError as error:
        return _my_page(request, session, event, attendee, csrf, typed=form, error=error)
    url = request.url_for("my_certificate", code=event.code).include_query_params(done="1")
    return RedirectResponse(url, status_code=303)


def _issued(session: Session, attendee: Attendee) -> Certificate | None:
    certificate = certificates.certificate_of(session, attendee=attendee)
    return certificate if certificate is not None and certificate.revoked_at is None else None


@router.get("/my/certificate.pdf", name="my_certificate_pdf")
def my_certificate_pdf(request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee) -> Response:
    """One's certificate as a one-page PDF."""
    certificate = _issued(session, attendee) if attendee else None
    if certificate is None:
        return RedirectResponse(request.url_for("my_certificate", code=event.code), status_code=303)
    body = certificate_files.certificate_pdf(_view(request, event, certificate))
    name = certificate_files.file_name(certificate)
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-cache"},
    )


@router.get("/my/certificate/print", name="my_certificate_print")
def my_certificate_print(request: Request, session: SessionDep, event: EventDep, attendee: CurrentAttendee) -> Response:
    """One's certificate as a page to print (one sheet, A4 or Letter)."""
    certificate = _issued(session, attendee) if attendee else None
    if certificate is None:
        return RedirectResponse(request.url_for("my_certificate", code=event.code), status_code=303)
    view = _view(request, event, certificate)
    return render(
        request, "print/certificate.html", {"event": event, "view": view, "qr": qr_svg(view.verify_url, scale=3)}
    )


# The public page ----------------------------------------------------------------------------------


@router.get("/certificates/{verification}", name="certificate_verify")
def certificate_verify(request: Request, session: SessionDep, event: EventDep, verification: str) -> Response:
    """Confirms a certificate: the name, the hours and the event (with its date), nothing else.

    Unknown: 404. Revoked: 410 Gone, with a page that says it is not valid (and nothing of whose)."""
    try:
        certificate = certificates.find_certificate(session, event=event, typed=verification[:40])
    except NotFound:
        return render(
            request, "attendee/certificate_verify.html", {"event": event, "state": "unknown"}, status_code=404
        )
    revoked = certificate.revoked_at is not None
    context = {
        "event": event,
        "state": "revoked" if revoked else "valid",
        "code": certificates.display_code(certificate.code),
        "name": "" if revoked else certificate.name,
        "hours": "" if revoked else certificate_files.hours_words(certificate.minutes),
        "date": certificate_files.date_words(event),
    }
    response = render(request, "attendee/certificate_verify.html", context, status_code=410 if revoked else 200)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# The organizer's ----------------------------------------------------------------------------------


class SettingsForm(forms.FormModel):
    enabled: forms.Checkbox = False
    place: forms.Text = ""
    issuer: forms.Text = ""
    signer: forms.Text = ""
    signer_title: forms.Text = ""
    min_minutes: forms.WholeNumber = 15
    needs_survey: forms.Checkbox = False


class RevokeForm(forms.FormModel):
    reason: forms.Text = ""


def _console(
    request: Request,
    session: Session,
    event: Event,
    csrf: str,
    *,
    typed: FormData | None = None,
    error: DomainError | None = None,
    error_id: int | None = None,
) -> Response:
    listed = certificates.certificates_of(session, event=event)
    return render(
        request,
        "organizer/certificates.html",
        {
            "event": event,
            "csrf": csrf,
            "join_link": join_url(request, event.code),
            "certificates": listed,
            "display_code": certificates.display_code,
            "hours_words": certificate_files.hours_words,
            "typed": typed,
            "notice": request.query_params.get("done", ""),
            "error": error,
            "error_id": error_id,
        },
        status_code=error.status_code if error else 200,
    )


@router.get("/organize/certificates", name="certificates_console")
def certificates_console(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken
) -> Response:
    """Certificate settings, the certificates issued (revoke one), and the exports."""
    return _console(request, session, event, csrf)


@router.post("/organize/certificates/settings", name="certificates_settings", dependencies=[CsrfChecked])
def certificates_settings(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Save who issues the certificates, the signer, the place and how hours count."""
    try:
        f = SettingsForm.parse(form)
        settings = certificates.PdSettings(
            f.enabled, f.place, f.issuer, f.signer, f.signer_title, f.min_minutes, f.needs_survey
        )
        certificates.update_certificate_settings(session, event=event, settings=settings, actor=organizer)
    except DomainError as error:
        return _console(request, session, event, csrf, typed=form, error=error)
    done = _("Certificate settings saved.")
    url = request.url_for("certificates_console", code=event.code).include_query_params(done=done)
    return RedirectResponse(url, status_code=303)


@router.post(
    "/organize/certificates/{certificate_id}/revoke", name="certificate_revoke", dependencies=[CsrfChecked]
)  # fmt: skip
def certificate_revoke(
    request: Request,
    session: SessionDep,
    event: EventDep,
    organizer: OrganizerDep,
    certificate_id: RowId,
    csrf: CsrfToken,
    form: FormDep,
) -> Response:
    """Revoke one certificate with the reason; its public page then says it is not valid."""
    try:
        f = RevokeForm.parse(form)
        revoked = certificates.revoke_certificate(
            session, event=event, certificate_id=certificate_id, reason=f.reason, actor=organizer
        )
    except DomainError as error:
        return _console(request, session, event, csrf, error=error, error_id=certificate_id)
    done = _("Certificate {code} revoked.").format(code=certificates.display_code(revoked.code))
    url = request.url_for("certificates_console", code=event.code).include_query_params(done=done)
    return RedirectResponse(url, status_code=303)


@router.get("/organize/certificates.csv", name="certificates_csv")
def certificates_csv(session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Response:
    """Every certificate as CSV: name, hours, code, issued, revoked (and why)."""
    body = certificate_files.certificates_csv(event, certificates.certificates_of(session, event=event))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{event.code}-certificates.csv"'},
    )


@router.get("/organize/certificates.zip", name="certificates_zip")
def certificates_zip(request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Response:
    """One PDF per valid certificate, in a zip written as it downloads (the browser shows its progress)."""
    certificate_files.font_files()  # no font: say so now, not halfway through a download
    valid = [c for c in certificates.certificates_of(session, event=event) if c.revoked_at is None]
    files = [(certificate_files.file_name(c), _view(request, event, c)) for c in valid]
    return StreamingResponse(
        certificate_files.zip_stream(files, locale=i18n.current()),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{event.code}-certificates.zip"'},
    )
