"""The sponsor's report of one edition (one call): where the applications came from, the
laureates, the money committed and paid, the milestones reached, the businesses opened and the
periodic reports received.

Team only (``views``: moderators with the laureates' view permission). It names businesses,
never a person: no contact, no address, no applicant. The numbers come from the same
querysets as the key figures (``laureates/figures.py``); the page, the XLSX (typed cells,
``moderation.export``'s writer) and the PDF (fpdf2 core fonts, ``calls.pdf.latin1``) are
three views of one ``SponsorReport``.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from calls.fields import format_euros
from calls.models import Application
from calls.pdf import latin1
from home.figures import EUROS, display
from moderation.export import Euros, write_xlsx
from stories.taxonomy import BusinessKind, Region

from .figures import opened_filter
from .models import Laureate, Milestone, MilestoneStatus, Payment, PaymentStatus, Report

ZERO = Decimal("0.00")


@dataclass
class LaureateLine:
    business_name: str
    town: str
    region: str
    kind: str
    awarded: Decimal
    paid: Decimal
    milestones_done: int
    milestones: int
    opened: bool


@dataclass
class SponsorReport:
    call: object
    edition: int
    kinds: list  # [(code, label)] of the kinds that applied, in the taxonomy's order
    by_region: list  # [(région label, [count per kind], total)]
    kind_totals: list
    applications: int
    envelope: Decimal | None
    committed: Decimal
    paid: Decimal
    laureates: list = field(default_factory=list)
    milestones: list = field(default_factory=list)  # [(label, done, total)]
    openings: int = 0
    reports_sent: int = 0  # periodic reports (« bilans ») received from the edition's laureates
    made_at: object = None

    @property
    def remaining(self):
        return None if self.envelope is None else self.envelope - self.committed

    def summary(self):
        """``[(label, value, kind)]``: the synthesis, in reading order."""
        rows = [
            (_("Candidatures reçues"), self.applications, "count"),
            (_("Lauréats"), len(self.laureates), "count"),
            (_("Enveloppe"), self.envelope, EUROS),
            (_("Montant engagé"), self.committed, EUROS),
            (_("Montant versé"), self.paid, EUROS),
            (_("Reste à engager"), self.remaining, EUROS),
            (_("Commerces ouverts"), self.openings, "count"),
            (_("Bilans reçus"), self.reports_sent, "count"),
        ]
        return rows

    def summary_display(self):
        """The synthesis as it is read: « 12 500,00 € », « non renseignée » for a missing envelope."""
        return [
            (
                label,
                _("non renseignée") if value is None else (format_euros(value) if kind == EUROS else display(value)),
            )
            for label, value, kind in self.summary()
        ]

    def laureate_rows(self):
        """Each laureate's line as it is read (the page and the PDF)."""
        return [
            {
                "business_name": line.business_name,
                "town": line.town,
                "region": line.region,
                "awarded": format_euros(line.awarded),
                "paid": format_euros(line.paid),
                "milestones": f"{line.milestones_done} / {line.milestones}",
                "opened": _("Oui") if line.opened else _("Non"),
            }
            for line in self.laureates
        ]


def sponsor_report(call):
    """The report of ``call``'s edition, from the data as it is now."""
    edition = timezone.localtime(call.opens_at).year
    counts = {
        (row["region"], row["business_kind"]): row["count"]
        for row in Application.objects.filter(page=call, is_spam=False)
        .values("region", "business_kind")
        .annotate(count=Count("pk"))
    }
    kind_codes = [code for code, _label in BusinessKind.choices if any(kind == code for _r, kind in counts)]
    if any(kind == "" for _r, kind in counts):
        kind_codes.append("")
    kinds = [(code, BusinessKind(code).label if code else _("Non précisé")) for code in kind_codes]
    region_codes = [code for code, _label in Region.choices if any(region == code for region, _k in counts)]
    if any(region == "" for region, _k in counts):
        region_codes.append("")
    by_region = []
    for region in region_codes:
        cells = [counts.get((region, kind), 0) for kind in kind_codes]
        by_region.append((Region(region).label if region else _("Non précisée"), cells, sum(cells)))
    kind_totals = [sum(row[1][i] for row in by_region) for i in range(len(kind_codes))]

    laureates = list(
        Laureate.objects.filter(call=call)
        .annotate(
            milestones_done=Count("milestones", filter=Q(milestones__status=MilestoneStatus.FAIT)),
            milestone_count=Count("milestones"),
        )
        .order_by("business_name", "pk")
    )
    # Summed apart: joined with the milestones, each payment would count once per milestone.
    paid = dict(
        Payment.objects.filter(laureate__call=call, status=PaymentStatus.PAYE)
        .values("laureate")
        .annotate(total=Sum("amount"))
        .values_list("laureate", "total")
    )
    opened = set(Laureate.objects.filter(call=call).filter(opened_filter()).values_list("pk", flat=True))
    lines = [
        LaureateLine(
            business_name=laureate.business_name,
            town=laureate.town,
            region=laureate.get_region_display(),
            kind=laureate.get_business_kind_display(),
            awarded=laureate.amount_awarded or ZERO,
            paid=paid.get(laureate.pk) or ZERO,
            milestones_done=laureate.milestones_done,
            milestones=laureate.milestone_count,
            opened=laureate.pk in opened,
        )
        for laureate in laureates
    ]
    milestones = [
        (row["label"], row["done"], row["total"])
        for row in Milestone.objects.filter(laureate__call=call)
        .values("label")
        .annotate(done=Count("pk", filter=Q(status=MilestoneStatus.FAIT)), total=Count("pk"), order=Min("sort_order"))
        .order_by("order", "label")
    ]
    return SponsorReport(
        call=call,
        edition=edition,
        kinds=kinds,
        by_region=by_region,
        kind_totals=kind_totals,
        applications=sum(counts.values()),
        envelope=call.envelope,
        committed=sum((line.awarded for line in lines), ZERO),
        paid=sum((line.paid for line in lines), ZERO),
        laureates=lines,
        milestones=milestones,
        openings=len(opened),
        reports_sent=Report.objects.filter(laureate__call=call).count(),
        made_at=timezone.localtime(),
    )


def _euros(value):
    return None if value is None else Euros(value)


def report_xlsx(report):
    """The report as an XLSX workbook (bytes): counts as numbers, amounts in euros."""
    region_headings = [_("Région"), *[label for _code, label in report.kinds], _("Total")]
    region_rows = [[label, *cells, total] for label, cells, total in report.by_region]
    region_rows.append([_("Total"), *report.kind_totals, report.applications])
    summary = [[label, _euros(value) if kind == EUROS else value] for label, value, kind in report.summary()]
    laureate_headings = [
        _("Commerce"),
        _("Commune"),
        _("Région"),
        _("Type"),
        _("Montant accordé"),
        _("Montant versé"),
        _("Étapes faites"),
        _("Étapes prévues"),
        _("Ouvert"),
    ]
    laureate_rows = [
        [
            line.business_name,
            line.town,
            line.region,
            line.kind,
            Euros(line.awarded),
            Euros(line.paid),
            line.milestones_done,
            line.milestones,
            _("Oui") if line.opened else _("Non"),
        ]
        for line in report.laureates
    ]
    milestone_rows = [[label, done, total] for label, done, total in report.milestones]
    return write_xlsx(
        [_("Indicateur"), _("Valeur")],
        summary,
        extra_sheets=[
            (_("Candidatures"), region_headings, region_rows),
            (_("Lauréats"), laureate_headings, laureate_rows),
            (_("Étapes"), [_("Étape"), _("Faites"), _("Prévues")], milestone_rows),
        ],
        title=_("Synthèse"),
    )


def report_pdf(report):
    """The report as a PDF (bytes), on A4."""
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(_("Rapport au mécène - %(title)s") % {"title": report.call.title}))
    pdf.set_creator("Quartiers Cafés")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def line(text, size=11, style="", gap=2):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(pdf.epw, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def grid(headings, rows, widths=None):
        pdf.set_font("Helvetica", size=9)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=5, first_row_as_headings=True) as table:
            for values in [headings, *rows]:
                row = table.row()
                for value in values:
                    row.cell(latin1(value))
        pdf.ln(4)

    line("Quartiers Cafés", size=10)
    line(_("Rapport au mécène : édition %(edition)s") % {"edition": report.edition}, size=16, style="B")
    line(report.call.title)
    line(_("Établi le %(date)s") % {"date": date_format(report.made_at, "j F Y à H:i")}, size=9, gap=6)
    line(_("Synthèse"), size=13, style="B")
    grid([_("Indicateur"), _("Valeur")], report.summary_display(), widths=(2, 1))
    line(_("Candidatures par région et type de commerce"), size=13, style="B")
    if report.by_region:
        headings = [_("Région"), *[label for _code, label in report.kinds], _("Total")]
        rows = [[label, *map(display, cells), display(total)] for label, cells, total in report.by_region]
        rows.append([_("Total"), *map(display, report.kind_totals), display(report.applications)])
        grid(headings, rows)
    else:
        line(_("Aucune candidature."), gap=4)
    line(_("Lauréats"), size=13, style="B")
    if report.laureates:
        grid(
            [_("Commerce"), _("Commune"), _("Région"), _("Accordé"), _("Versé"), _("Étapes faites"), _("Ouvert")],
            [list(row.values()) for row in report.laureate_rows()],
        )
    else:
        line(_("Aucun lauréat."), gap=4)
    line(_("Étapes atteintes"), size=13, style="B")
    if report.milestones:
        grid(
            [_("Étape"), _("Faites"), _("Prévues")],
            [[label, display(done), display(total)] for label, done, total in report.milestones],
            widths=(3, 1, 1),
        )
    else:
        line(_("Aucune étape prévue."), gap=4)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()
