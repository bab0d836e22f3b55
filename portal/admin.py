"""The portal in the admin: who has access, invitations, uploaded documents, renewal requests
and zone developers' description proposals.

Staff never write these rows directly: inviting, sending again, marking a renewal request
handled and deciding a proposal each call portal.services, so the admin, the portal and the
tests get the same rules. A service's refusal reads as a message (or, on the invitation form,
beside the field) and changes nothing. Documents are served only through the permission-checked
download view here, as attachments; the storage has no public URL.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin import ServiceErrorsAsMessagesMixin
from core.paginators import EstimatedCountPaginator

from . import services
from .choices import InvitationVia, ProposalStatus, RenewalRequestStatus
from .models import DescriptionProposal, Document, Invitation, PortalMembership, RenewalRequest


def admin_change_link(obj, label=None):
    """A link to `obj`'s admin page (its app's admin decides who may open it)."""
    if obj is None:
        return "—"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,))
    return format_html('<a href="{}">{}</a>', url, label or str(obj))


class PartyKindFilter(admin.SimpleListFilter):
    title = "party"
    parameter_name = "party"

    def lookups(self, request, model_admin):
        return (("company", "Companies"), ("developer", "Zone developers"))

    def queryset(self, request, queryset):
        if self.value() == "company":
            return queryset.filter(company__isnull=False)
        if self.value() == "developer":
            return queryset.filter(developer__isnull=False)
        return queryset


# --- memberships -----------------------------------------------------------------------------


@admin.register(PortalMembership)
class PortalMembershipAdmin(admin.ModelAdmin):
    """Who has a portal account for which party. Accounts are opened by accepting an
    invitation; here staff only take access away (or give it back)."""

    list_display = ("user_email", "party_column", "is_active", "invited_by", "created")
    list_filter = ("is_active", PartyKindFilter, "created")
    list_select_related = ("user", "company", "developer", "invited_by")
    search_fields = ("user__email", "company__name", "developer__name")
    ordering = ("-created",)
    fields = ("user", "company", "developer", "is_active", "invited_by", "created", "updated")
    readonly_fields = ("user", "company", "developer", "invited_by", "created", "updated")
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    @admin.display(description="email", ordering="user__email")
    def user_email(self, membership):
        return membership.user.email

    @admin.display(description="company or developer")
    def party_column(self, membership):
        return membership.party

    def has_add_permission(self, request):
        # An account joins a party by accepting an invitation: invite from Portal invitations.
        return False


# --- invitations -----------------------------------------------------------------------------


class InvitationStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("open", "Waiting to be used"), ("accepted", "Accepted"), ("expired", "Expired"))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "open":
            return queryset.filter(accepted_at__isnull=True, expires_at__gt=now)
        if self.value() == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(accepted_at__isnull=True, expires_at__lte=now)
        return queryset


class InviteForm(forms.ModelForm):
    """Staff inviting one person to a company's or a zone developer's portal account."""

    class Meta:
        model = Invitation
        fields = ("email", "company", "developer")
        help_texts = {
            "email": "The person's own work address: the link that opens the account goes to it.",
            "company": "Invite to a company's account …",
            "developer": "… or to a zone developer's (one of the two).",
        }


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations as sent. The add form invites through portal.services.invitation_create
    (the email goes out with it); a sent invitation is never edited, only sent again."""

    form = InviteForm
    list_display = (
        "email",
        "party_column",
        "via",
        "created",
        "expires_at",
        "accepted_at",
        "state",
    )
    list_filter = (InvitationStateFilter, "via", PartyKindFilter, "created")
    list_select_related = ("company", "developer")
    search_fields = ("email", "company__name", "developer__name")
    ordering = ("-created",)
    autocomplete_fields = ("company", "developer")
    # token_hash is never shown: it is left out of every field list here.
    readonly_fields = (
        "email",
        "company",
        "developer",
        "via",
        "registration",
        "invited_by",
        "created",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "state",
    )
    actions = ("send_again",)
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    @admin.display(description="company or developer")
    def party_column(self, invitation):
        return invitation.party

    @admin.display(description="state")
    def state(self, invitation):
        if invitation.accepted_at:
            return "Accepted"
        return "Expired" if invitation.is_expired else "Waiting to be used"

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("email", "company", "developer")}),)
        return (
            (None, {"fields": ("email", ("company", "developer"), "via", "registration")}),
            (
                "Sent and used",
                {
                    "fields": (
                        ("invited_by", "created"),
                        ("expires_at", "state"),
                        ("accepted_at", "accepted_by"),
                    )
                },
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        # A sent invitation stays as sent (view permission shows it); "Send again" replaces it.
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """The invite form: the service creates the invitation and queues its email.

        A refusal (an address that already has an account, a staff address, …) is shown on
        the form with what was typed kept, which the admin's own save step could not do.
        """
        if request.method != "POST":
            return super().add_view(request, form_url, extra_context)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.get_form(request)(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    invitation, _ = services.invitation_create(
                        email=data["email"],
                        via=InvitationVia.STAFF,
                        company=data.get("company"),
                        developer=data.get("developer"),
                        invited_by=request.user,
                    )
            except ValidationError as exc:
                self._add_service_errors(form, exc)
            else:
                self.log_addition(request, invitation, [{"added": {}}])
                messages.success(
                    request,
                    f"Invitation to {invitation.party}'s portal account sent to "
                    f"{invitation.email}; the link works for {services.invitation_days()} days.",
                )
                return HttpResponseRedirect(
                    reverse("admin:portal_invitation_changelist", current_app=self.admin_site.name)
                )
        return self._render_invite_form(request, form, form_url, extra_context)

    @staticmethod
    def _add_service_errors(form, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)

    def _render_invite_form(self, request, form, form_url, extra_context):
        fieldsets = list(self.get_fieldsets(request, None))
        admin_form = helpers.AdminForm(
            form,
            fieldsets,
            self.get_prepopulated_fields(request, None),
            self.get_readonly_fields(request, None),
            model_admin=self,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Add {self.opts.verbose_name}",
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, add=True, form_url=form_url)

    @admin.action(
        description="Send again (a fresh link; the old one stops working)", permissions=("add",)
    )
    def send_again(self, request, queryset):
        sent = []
        for invitation in queryset.select_related("company", "developer"):
            if invitation.accepted_at:
                messages.warning(
                    request, f"{invitation.email} has already accepted: nothing to send."
                )
                continue
            try:
                with transaction.atomic():
                    fresh, _ = services.invitation_create(
                        email=invitation.email,
                        via=InvitationVia.STAFF,
                        company=invitation.company,
                        developer=invitation.developer,
                        invited_by=request.user,
                    )
            except ValidationError as exc:
                messages.error(request, f"{invitation.email}: {' '.join(exc.messages)}")
            else:
                sent.append(fresh.email)
        if sent:
            messages.success(request, f"Invitations sent again to {', '.join(sent)}.")


# --- documents -------------------------------------------------------------------------------


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Files companies uploaded: listed here, opened only through the download link."""

    list_display = (
        "original_name",
        "subject",
        "size_column",
        "content_type",
        "sha256_short",
        "uploaded_by",
        "created",
        "download",
    )
    list_filter = ("content_type", "created")
    list_select_related = (
        "registration__company",
        "enterprise__company",
        "enterprise__zone",
        "annual_return__enterprise__company",
        "annual_return__enterprise__zone",
        "uploaded_by",
    )
    search_fields = (
        "original_name",
        "sha256",
        "registration__reference",
        "registration__company__name",
        "enterprise__licence_number",
        "enterprise__company__name",
        "annual_return__enterprise__company__name",
    )
    ordering = ("-created",)
    # `file` is left out: its widget would link to a storage URL, and documents have none.
    fields = (
        "original_name",
        "subject",
        "size_column",
        "content_type",
        "sha256",
        "uploaded_by",
        "created",
        "download",
    )
    readonly_fields = fields
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    @admin.display(description="on")
    def subject(self, document):
        return admin_change_link(
            document.registration or document.enterprise or document.annual_return
        )

    @admin.display(description="size", ordering="size")
    def size_column(self, document):
        return filesizeformat(document.size)

    @admin.display(description="SHA-256")
    def sha256_short(self, document):
        return format_html('<span title="{}">{}…</span>', document.sha256, document.sha256[:12])

    @admin.display(description="file")
    def download(self, document):
        if document.pk is None:
            return "—"
        url = reverse(
            "admin:portal_document_download", args=(document.pk,), current_app=self.admin_site.name
        )
        return format_html('<a href="{}">Download</a>', url)

    def has_add_permission(self, request):
        return False  # uploaded by companies in the portal

    def has_change_permission(self, request, obj=None):
        return False  # a document is kept as it was received

    def get_urls(self):
        return [
            path(
                "<path:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="portal_document_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, object_id):
        """The file, to staff who may view documents, always as a download (never inline)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(Document, pk=unquote(object_id))
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("The file is missing from storage.") from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response

    def delete_model(self, request, obj):
        name, storage = obj.file.name, obj.file.storage
        super().delete_model(request, obj)
        # The file goes once the row is gone for good (not if the deletion rolls back).
        transaction.on_commit(lambda: storage.delete(name))

    def delete_queryset(self, request, queryset):
        files = [(document.file.storage, document.file.name) for document in queryset]
        super().delete_queryset(request, queryset)
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


# --- renewal requests ------------------------------------------------------------------------


@admin.register(RenewalRequest)
class RenewalRequestAdmin(admin.ModelAdmin):
    """Licence holders asking for a renewal. Staff renew the licence on its own page (which
    closes the request); "Mark handled" closes one that needs no renewal."""

    list_display = (
        "enterprise_link",
        "zone",
        "status",
        "requested_by",
        "created",
        "handled_by",
        "handled_at",
    )
    list_filter = ("status", "enterprise__zone", "created")
    list_select_related = (
        "enterprise__company",
        "enterprise__zone",
        "requested_by",
        "handled_by",
    )
    search_fields = (
        "enterprise__licence_number",
        "enterprise__company__name",
        "enterprise__zone__name",
    )
    ordering = ("-created",)
    fields = (
        "enterprise_link",
        "message",
        "status",
        "requested_by",
        "created",
        "handled_by",
        "handled_at",
    )
    readonly_fields = fields
    actions = ("mark_handled",)

    @admin.display(description="licence", ordering="enterprise__company__name")
    def enterprise_link(self, renewal):
        return admin_change_link(renewal.enterprise)

    @admin.display(description="zone", ordering="enterprise__zone__name")
    def zone(self, renewal):
        return renewal.enterprise.zone

    def has_add_permission(self, request):
        return False  # asked for in the portal

    def save_model(self, request, obj, form, change):
        pass  # every field is read-only: a request changes only through "Mark handled"

    @admin.action(description="Mark handled", permissions=("change",))
    def mark_handled(self, request, queryset):
        closed = []
        for renewal in queryset.filter(status=RenewalRequestStatus.OPEN).select_related(
            "enterprise__company", "enterprise__zone"
        ):
            services.renewal_request_close(request=renewal, user=request.user)
            closed.append(str(renewal.enterprise))
        if closed:
            messages.success(request, f"Marked handled: {'; '.join(closed)}.")
        else:
            messages.info(request, "The selected requests were handled already.")


# --- description proposals -------------------------------------------------------------------


DECIDE_CHOICES = (("", "Leave waiting"), ("approve", "Approve"), ("reject", "Reject"))


class ProposalDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(choices=DECIDE_CHOICES, required=False, widget=forms.RadioSelect)

    class Meta:
        model = DescriptionProposal
        fields = ("decision_note",)
        help_texts = {
            "decision_note": "The developer reads it in the portal. Required to reject: say "
            "what to change."
        }


class RejectForm(forms.Form):
    note = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Sent back with each rejected proposal: what the developer should change.",
    )


@admin.register(DescriptionProposal)
class DescriptionProposalAdmin(ServiceErrorsAsMessagesMixin, admin.ModelAdmin):
    """Developers' proposed public descriptions. Approving one writes it onto the zone (with the
    zone's history); rejecting needs a note for the developer."""

    form = ProposalDecisionForm
    list_display = (
        "zone",
        "developer",
        "status",
        "proposed_by",
        "created",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "zone__developer", "created")
    list_select_related = ("zone__developer", "proposed_by", "decided_by")
    search_fields = ("zone__name", "zone__developer__name", "description")
    ordering = ("-created",)
    readonly_fields = (
        "zone_link",
        "developer",
        "status",
        "proposed_by",
        "created",
        "current_description",
        "proposed_description",
        "current_description_ur",
        "proposed_description_ur",
        "decided_by",
        "decided_at",
    )
    actions = ("approve", "reject")

    @admin.display(description="zone", ordering="zone__name")
    def zone_link(self, proposal):
        return admin_change_link(proposal.zone)

    @admin.display(description="developer", ordering="zone__developer__name")
    def developer(self, proposal):
        return proposal.zone.developer

    @admin.display(description="the zone's description now")
    def current_description(self, proposal):
        return proposal.zone.description or "—"

    @admin.display(description="the zone's Urdu description now")
    def current_description_ur(self, proposal):
        return proposal.zone.description_ur or "—"

    @admin.display(description="proposed")
    def proposed_description(self, proposal):
        return proposal.description

    @admin.display(description="proposed in Urdu")
    def proposed_description_ur(self, proposal):
        return proposal.description_ur or "—"

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("zone_link", "developer", "status", ("proposed_by", "created"))}),
            ("English", {"fields": ("current_description", "proposed_description")}),
            ("Urdu", {"fields": ("current_description_ur", "proposed_description_ur")}),
        ]
        if obj is not None and obj.status == ProposalStatus.PENDING:
            fieldsets.append(("Decision", {"fields": ("decision", "decision_note")}))
        else:
            fieldsets.append(
                ("Decision", {"fields": ("decision_note", ("decided_by", "decided_at"))})
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != ProposalStatus.PENDING:
            return (*self.readonly_fields, "decision_note")
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # proposed in the portal

    def has_decide_permission(self, request, obj=None):
        # Reviewers decide; like their other decisions, it is a permission of its own.
        return request.user.has_perm("portal.decide_descriptionproposal")

    def has_change_permission(self, request, obj=None):
        return self.has_decide_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Only the service writes a proposal (and the zone); a save without a decision is a
        # no-op.
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        decided = services.description_decide(
            proposal=obj,
            user=request.user,
            approve=decision == "approve",
            note=form.cleaned_data.get("decision_note", ""),
        )
        messages.success(request, self._decided_message([decided]))

    def save_related(self, request, form, formsets, change):
        pass  # a proposal has no related rows to save

    @staticmethod
    def _decided_message(proposals):
        return "; ".join(
            f"{proposal.zone}: {proposal.get_status_display().lower()}" for proposal in proposals
        )

    def _decide(self, request, queryset, *, approve, note=""):
        decided = []
        for proposal in queryset.select_related("zone"):
            try:
                decided.append(
                    services.description_decide(
                        proposal=proposal, user=request.user, approve=approve, note=note
                    )
                )
            except ValidationError as exc:
                messages.error(request, f"{proposal.zone}: {' '.join(exc.messages)}")
        if decided:
            messages.success(request, f"Decided: {self._decided_message(decided)}.")

    @admin.action(
        description="Approve selected (the zones' public pages change)", permissions=("decide",)
    )
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description="Reject selected (asks for a note)", permissions=("decide",))
    def reject(self, request, queryset):
        if request.POST.get("confirm_step"):
            form = RejectForm(request.POST)
            if form.is_valid():
                self._decide(request, queryset, approve=False, note=form.cleaned_data["note"])
                return None
        else:
            form = RejectForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject the selected proposals",
            "opts": self.opts,
            "objects": queryset.select_related("zone"),
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
        }
        # The operating zone's confirmation page: a list of the records and a small form.
        return TemplateResponse(request, "admin/enterprises/step_selected.html", context)
