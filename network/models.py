"""The laureates' network: kinds of session, the agenda and its sessions, registrations, the
emails sent about them (one row per email: the « sent once » claim) and private calendar feeds.

A session is a Wagtail page under the agenda (``AgendaIndexPage``). Its place is checked like
the call's « Adresse » answer (``territory.forms.AddressField`` for the address, then
``calls.qpv_check.columns``) and stored with the same columns as an application
(``commune_code``, ``qpv_method``, ``qpv_code``, ``qpv_name``, ``qpv_distance_m``, the point).
Only sessions open to everyone (``audience = tous``) are public; the others are for members
(``network/membership.py``).

The members' directory keeps one ``DirectoryProfile`` per laureate (what they can offer, what
they look for, themes, each contact detail shown only once opted in): ``directory.py``.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from calls.attachments.storage import PrivateStorage
from home.blocks import BaseStreamBlock
from home.chrome import public_q
from home.models import BasePage
from stories.taxonomy import Region

from . import dates, membership, place
from .choices import (
    ACTIVE_STATUSES,
    Attendance,
    Audience,
    EmailKind,
    Mode,
    RegistrationStatus,
    Role,
)
from .forms import SessionPageForm


def new_invitation_key():
    return secrets.token_urlsafe(24)


class SessionKind(models.Model):
    """A kind of session (« Accompagnement collectif »…); the team adds others."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("type de séance")
        verbose_name_plural = _("types de séance")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


def mark_private(response):
    """A page whose content depends on who asks: never stored by the page cache, a CDN or a
    browser's shared cache (``home/page_cache.py`` skips ``private``/``no-store``)."""
    patch_cache_control(response, private=True)
    add_never_cache_headers(response)
    return response


def is_personal(request):
    """The request carries a session (the applicant's space) or a signed-in user: what it is
    shown may depend on who it is."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    return bool((session is not None and session.session_key) or (user is not None and user.is_authenticated))


class AgendaIndexPage(RoutablePageMixin, BasePage):
    """« Agenda du réseau »: the sessions to come (``/agenda/``) and the past ones
    (``/agenda/passees/``), filtered by région and kind; members also see their sessions."""

    intro = models.TextField(_("chapeau"), max_length=600, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["network.SessionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda du réseau")

    def route(self, request, path_components):
        """A session in one query with its kind (instead of Wagtail's walk: the child, then its
        specific row, then the kind); the agenda's own paths (``passees/``) otherwise."""
        if path_components:
            session = SessionPage.objects.child_of(self).filter(slug=path_components[0]).select_related("kind").first()
            if session is not None:
                session._cached_parent_obj = self  # as Page.route does: get_parent() costs nothing
                return session.route(request, path_components[1:])
        return super().route(request, path_components)

    def sessions(self, request):
        """The live sessions under the agenda that ``request`` may see."""
        return SessionPage.objects.visible_to(request).child_of(self)

    def _listing(self, request, past):
        # The listing queries the session models: imported on the first request (the cycle
        # Wagtail's page-model entry imposes, as for the story index).
        from .agenda import listing

        response = self.render(request, context_overrides=listing(self, request, past=past))
        if is_personal(request):
            mark_private(response)
        return response

    @path("")
    def upcoming(self, request):
        return self._listing(request, past=False)

    @path("passees/")
    def past(self, request):
        return self._listing(request, past=True)


class SessionPageQuerySet(PageQuerySet):
    def public_sessions(self):
        """Sessions open to everyone: the only ones anyone may find."""
        return self.filter(audience=Audience.TOUS)

    def visible_to(self, request):
        """The live sessions outside private sections that ``request`` may see: all of them
        for a member of the network (``network/membership.py``), the public ones otherwise."""
        sessions = self.live().filter(public_q())
        return sessions if membership.is_member(request) else sessions.public_sessions()


class SessionPage(BasePage):
    """One session of the network: a date, a place or a link, who may come, how many."""

    kind = models.ForeignKey(SessionKind, verbose_name=_("type de séance"), on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    mode = models.CharField(_("format"), max_length=10, choices=Mode.choices, default=Mode.SUR_PLACE)

    # The place (mode « sur place »), checked and stored as the call's « Adresse » answer.
    place_name = models.CharField(
        _("nom du lieu"), max_length=200, blank=True, help_text=_("Par exemple : le nom du café qui accueille.")
    )
    street = models.CharField(_("numéro et rue"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    town = models.CharField(_("commune"), max_length=255, blank=True)
    region = models.CharField(_("région"), max_length=40, choices=Region.choices, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    qpv_method = models.CharField(_("vérification QPV"), max_length=10, blank=True)
    qpv_code = models.CharField(_("code du QPV"), max_length=200, blank=True)
    qpv_name = models.CharField(_("nom du QPV"), max_length=500, blank=True)
    qpv_distance_m = models.PositiveIntegerField(_("distance au QPV (m)"), null=True, blank=True)

    # The link (mode « en ligne »): shown to confirmed registrations and the team only.
    meeting_url = models.URLField(_("lien de la visioconférence"), max_length=500, blank=True)

    audience = models.CharField(
        _("qui peut s'inscrire"), max_length=24, choices=Audience.choices, default=Audience.TOUS
    )
    capacity = models.PositiveIntegerField(_("nombre de places"))
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True, help_text=_("Vide : dès la publication.")
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True, help_text=_("Vide : au début de la séance.")
    )
    # The partners' invitation link signs this key with the session: a new key ends the old links.
    invitation_key = models.CharField(max_length=64, default=new_invitation_key, editable=False)

    summary = models.TextField(
        _("résumé"),
        max_length=300,
        help_text=_("Deux ou trois phrases : montrées dans l'agenda et les moteurs de recherche."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    # iCalendar: the UID never changes; the SEQUENCE is bumped when the date, place or link change.
    ical_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = PageManager.from_queryset(SessionPageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])],
            heading=_("Date (heure de Paris)"),
        ),
        MultiFieldPanel(
            [FieldPanel("mode"), FieldPanel("place_name"), FieldPanel("address"), FieldPanel("meeting_url")],
            heading=_("Lieu ou lien"),
            help_text=_(
                "Sur place : le nom du lieu et son adresse (la commune, la région et le quartier prioritaire "
                "sont retrouvés à l'enregistrement). En ligne : le lien, montré aux seules personnes inscrites "
                "et confirmées, et à l'équipe."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("capacity"),
                FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
            ],
            heading=_("Inscriptions"),
            # Said where the editor works: Wagtail's « Dépublier » confirmation has no hook to say it.
            help_text=_(
                "Dépublier une séance qui n'a pas commencé l'annule : chaque personne inscrite ou en liste "
                "d'attente reçoit un courriel d'annulation. Pour corriger la séance, modifiez-la et publiez sans "
                "dépublier : un changement de date ou de lieu est envoyé une fois à chaque personne inscrite."
            ),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("town"),
        index.FilterField("starts_at"),
        index.FilterField("audience"),
    ]
    base_form_class = SessionPageForm

    parent_page_types = ["network.AgendaIndexPage"]
    subpage_types = []
    exclude_fields_in_copy = ["ical_uid", "ical_sequence", "invitation_key"]

    # The search results' label (search/templates/search/search.html).
    search_kind_label = _("Séance du réseau")

    class Meta:
        verbose_name = _("séance du réseau")
        verbose_name_plural = _("séances du réseau")
        indexes = [models.Index(fields=["starts_at"], name="network_session_starts_idx")]

    def clean(self):
        super().clean()
        if not self.search_description and self.summary:
            self.search_description = self.summary

    @property
    def is_public(self):
        return self.audience == Audience.TOUS

    @property
    def is_online(self):
        return self.mode == Mode.EN_LIGNE

    # Search and sitemap: members' sessions are never indexed nor listed.

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().filter(audience=Audience.TOUS)

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.is_public else []

    # Dates.

    def when_text(self):
        return dates.when_text(self.starts_at, self.ends_at)

    def starts_day_text(self):
        return dates.day_text(self.starts_at)

    def is_past(self, now=None):
        return self.ends_at < (now or timezone.now())

    def has_begun(self, now=None):
        """Started (running or over): a registration can no longer be cancelled."""
        return self.starts_at <= (now or timezone.now())

    def registration_opens(self):
        """When registration opens: the date set, else the first publication."""
        return self.registration_opens_at or self.first_published_at

    def registration_closes(self):
        """When registration closes: the date set, else the session's start."""
        return self.registration_closes_at or self.starts_at

    def registration_state(self, now=None):
        """``a_venir`` (not open yet), ``ouvertes``, ``closes`` or ``passee`` (the session is over)."""
        now = now or timezone.now()
        if self.is_past(now):
            return "passee"
        opens = self.registration_opens()
        if opens is not None and now < opens:
            return "a_venir"
        if now >= self.registration_closes():
            return "closes"
        return "ouvertes"

    # Seats.

    def seats_taken(self):
        return self.registrations.holding_seats().count()

    def seats_left(self, taken=None):
        taken = self.seats_taken() if taken is None else taken
        return max(0, self.capacity - taken)

    # Place.

    def qpv_words(self):
        return place.qpv_words(self)

    def in_qpv(self):
        return place.in_qpv(self)

    # Who sees what.

    def can_see_meeting_url(self, request):
        """The team, and the people whose registration to this session is confirmed (a member
        laureate's, or the address the applicant's space is signed in with)."""
        if not self.is_online or not self.meeting_url:
            return False
        if membership.is_team(request):
            return True
        confirmed = self.registrations.filter(status=RegistrationStatus.CONFIRMEE)
        laureates = membership.member_laureates(request)
        if laureates and confirmed.filter(laureate__in=laureates).exists():
            return True
        email = membership.space_email(request)
        return bool(email) and confirmed.filter(email=email.strip().lower()).exists()

    def serve(self, request, *args, **kwargs):
        """A members' session is a 404 for anyone else (a guessed URL tells nothing); a page
        shown to someone signed in is private (never in the page cache or a CDN)."""
        if not self.is_public and not membership.is_member(request) and not getattr(request, "is_preview", False):
            raise Http404
        response = super().serve(request, *args, **kwargs)
        if not self.is_public or is_personal(request):
            mark_private(response)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        taken = self.seats_taken()
        context.update(
            {
                "agenda": self.get_parent(),
                "session_state": self.registration_state(now),
                "seats_taken": taken,
                "seats_left": self.seats_left(taken),
                "show_meeting_url": self.can_see_meeting_url(request),
                "registration_opens_text": dates.moment_text(self.registration_opens())
                if self.registration_opens()
                else "",
                "registration_closes_text": dates.moment_text(self.registration_closes()),
            }
        )
        return context


class RegistrationQuerySet(models.QuerySet):
    def holding_seats(self, now=None):
        """The registrations that hold a seat: the confirmed ones, and those waiting for their
        address's confirmation, asked while a seat was left, for ``NETWORK_CONFIRMATION_HOURS``
        (then they expire: ``network/registration.py``)."""
        fresh = (now or timezone.now()) - datetime.timedelta(hours=settings.NETWORK_CONFIRMATION_HOURS)
        return self.filter(
            Q(status=RegistrationStatus.CONFIRMEE)
            | Q(status=RegistrationStatus.EN_ATTENTE_CONFIRMATION, waitlisted_at__isnull=True, created_at__gte=fresh)
        )


class Registration(models.Model):
    """A person's registration to a session: a laureate's, or a resident's or partner's (name
    and email)."""

    session = models.ForeignKey(
        SessionPage, verbose_name=_("séance"), on_delete=models.CASCADE, related_name="registrations"
    )
    laureate = models.ForeignKey(
        "laureates.Laureate",
        verbose_name=_("lauréat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_registrations",
    )
    name = models.CharField(_("nom"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices)
    status = models.CharField(
        _("statut"),
        max_length=24,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.EN_ATTENTE_CONFIRMATION,
    )
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("mise en liste d'attente le"), null=True, blank=True)
    # The random key of the person's link (network/registration_links.py): the link carries an
    # HMAC of it, never the key; a new key ends the old links.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    attendance = models.CharField(_("présence"), max_length=10, choices=Attendance.choices, default=Attendance.INCONNUE)
    attendance_marked_at = models.DateTimeField(_("présence notée le"), null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("présence notée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "laureate"],
                condition=Q(laureate__isnull=False, status__in=ACTIVE_STATUSES),
                name="network_one_registration_per_laureate",
            ),
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status__in=ACTIVE_STATUSES) & ~Q(email=""),
                name="network_one_registration_per_email",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="network_registration_state_idx")]

    def __str__(self):
        return _("Inscription n° %(id)s") % {"id": self.pk}

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class RegistrationEmail(models.Model):
    """One email about a registration; the row is the « sent once » claim."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("inscription"), on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(_("type"), max_length=20, choices=EmailKind.choices)
    sequence = models.PositiveIntegerField(_("version de la séance"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("courriel d'inscription")
        verbose_name_plural = _("courriels d'inscription")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "sequence"], name="network_one_email_per_kind_and_sequence"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.registration_id})"


class CalendarFeed(models.Model):
    """A person's private calendar feed of their sessions (a revocable token URL)."""

    laureate = models.ForeignKey(
        "laureates.Laureate",
        verbose_name=_("lauréat"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    email = models.EmailField(_("courriel"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda personnel")
        verbose_name_plural = _("agendas personnels")

    def __str__(self):
        return _("Agenda personnel n° %(id)s") % {"id": self.pk}

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


# --- The members' directory (directory.py, directory_views.py) --------------------------------

# What a laureate writes of what they can offer and look for: a few lines each.
DIRECTORY_TEXT_MAX_LENGTH = 1000


class DirectoryProfile(models.Model):
    """A laureate's entry in the members' directory: what they can offer the other members,
    what they look for, their themes, and which contact details the members may read.

    Each contact detail is shown only once the laureate ticks it (all off by default) and can
    be hidden again at any time from their space; the email, phone and address are the
    record's own (``laureates.Laureate``), the website is the profile's. The profile is
    deleted with the record's contact data (``directory.forget_erased``). ``search_text`` is
    the folded text the directory's search reads (``home.folding.fold_words``): the
    directory is searched in the database, never through the public search index."""

    laureate = models.OneToOneField(
        "laureates.Laureate", verbose_name=_("lauréat"), on_delete=models.CASCADE, related_name="directory_profile"
    )
    offer = models.TextField(
        _("ce que je peux apporter"), blank=True, validators=[MaxLengthValidator(DIRECTORY_TEXT_MAX_LENGTH)]
    )
    need = models.TextField(
        _("ce que je cherche"), blank=True, validators=[MaxLengthValidator(DIRECTORY_TEXT_MAX_LENGTH)]
    )
    themes = models.ManyToManyField("stories.Theme", verbose_name=_("thèmes"), blank=True, related_name="+")
    website = models.URLField(_("site internet"), max_length=300, blank=True)
    show_email = models.BooleanField(_("courriel affiché"), default=False)
    show_phone = models.BooleanField(_("téléphone affiché"), default=False)
    show_website = models.BooleanField(_("site internet affiché"), default=False)
    show_address = models.BooleanField(_("adresse affichée"), default=False)
    search_text = models.TextField(_("texte de recherche"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("fiche de l'annuaire")
        verbose_name_plural = _("fiches de l'annuaire")
        ordering = ["laureate__business_name", "pk"]

    def __str__(self):
        return str(self.laureate)


# --- Resources (minutes, documents and links shared with members) ---------------------------


class ResourceAudience(models.TextChoices):
    INSCRITS = "inscrits", _("Les inscrits confirmés de la séance")
    MEMBRES = "membres", _("Les membres du réseau")


def resource_file_name(instance, filename):
    """A random key under ``network/``: the name the team gave stays in ``original_name``."""
    return f"network/{uuid.uuid4().hex}"


class Resource(models.Model):
    """A document or a link the team shares: a session's minutes with its confirmed
    registrations, or a resource for every member. Its file lives in the private storage
    and is served only by ``network.resource_views`` to those allowed."""

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("fichier"), storage=PrivateStorage(), upload_to=resource_file_name, max_length=255, blank=True
    )
    original_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    content_type = models.CharField(_("type de contenu"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    url = models.URLField(_("adresse web"), max_length=500, blank=True)
    session = models.ForeignKey(
        "network.SessionPage",
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
    )
    audience = models.CharField(
        _("qui peut l'ouvrir"), max_length=20, choices=ResourceAudience.choices, default=ResourceAudience.MEMBRES
    )
    created_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajoutée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="network_resource_file_or_url",
                violation_error_message=_("Une ressource est un fichier ou une adresse web, pas les deux."),
            ),
            models.CheckConstraint(
                condition=~Q(audience="inscrits") | Q(session__isnull=False),
                name="network_resource_registered_need_a_session",
                violation_error_message=_("Une ressource réservée aux inscrits doit être liée à une séance."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_file(self):
        return bool(self.file)

    @property
    def kind_display(self):
        if self.file:
            return _("Fichier : %(name)s") % {"name": self.original_name}
        return _("Lien")
