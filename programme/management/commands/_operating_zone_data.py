"""generate_data's operating zone: licences, plots and annual returns at scale.

A mixin of generate_data.Generator (it uses its rng, id reservation, writer and rates). The
rows obey every rule the services enforce: one live licence per company and zone, licence
numbers from the id, expiry after issue, plots held only by licensed enterprises of their own
zone (the composite foreign key on PostgreSQL checks it), one return per enterprise and fiscal
year from the year of the licence on, figures within their checks, USD at the year-end rate.
"""

import datetime
import math
from decimal import Decimal

from django.conf import settings

from core.dates import years_after
from core.query import CENT
from enterprises.fiscal import fiscal_year_label
from enterprises.models import AnnualReturn, Enterprise, LicenceEvent, Plot

ISSUED_FROM = datetime.date(2014, 7, 1)
ISSUED_UNTIL = datetime.date(2026, 6, 30)
LAST_FISCAL_YEAR_START = 2025  # 2025-26, due in October 2026 (DATA_END is 31 October 2026)

LICENCE_STATUSES = [
    ("licensed", 78), ("suspended", 4), ("revoked", 3), ("surrendered", 3),
    ("applied", 7), ("approved", 5),
]  # fmt: skip
PLOT_KINDS = [("land", 50), ("office", 25), ("warehouse", 15), ("shared", 10)]
PLOT_AREA = {"land": 2500, "office": 600, "warehouse": 1800, "shared": 120}
ACTIVITIES = [
    "Software development and export", "IT-enabled services and BPO", "Fintech platform",
    "Data centre and cloud hosting", "Electronics assembly", "Game studio", "AI and data labs",
]  # fmt: skip


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class OperatingZoneGeneratorMixin:
    def make_enterprises(self, count, synthetic_mark):
        rng = self.rng
        self.licensed_by_zone: dict[int, list[int]] = {}
        # (id, issued on, expires on, status) of every issued licence, for the returns.
        self.issued_enterprises: list[tuple[int, datetime.date, datetime.date, str]] = []
        if not count:
            return
        first_id = self.reserve_ids(Enterprise, count)
        columns = [
            "id", "created", "updated", "company_id", "zone_id", "registration_id", "activities",
            "planned_investment_usd", "planned_jobs", "status", "licence_number", "issued_on",
            "expires_on", "recommended_by_id", "recommended_at", "approved_by_id", "approved_at",
            "note",
        ]  # fmt: skip
        event_columns = [
            "enterprise_id", "kind", "occurred_on", "recorded_at", "recorded_by_id", "reason",
            "previous_expires_on", "new_expires_on",
        ]  # fmt: skip
        pairs: set[tuple[int, int]] = set()
        rows, events = [], []
        span = (ISSUED_UNTIL - ISSUED_FROM).days
        company_positions = range(len(self.company_ids))
        for row_id in range(first_id, first_id + count):
            # One live licence per company and zone: draw again on a repeat.
            while True:
                company_id = self.company_ids[
                    self.pick(company_positions, self.company_cum_weights)
                ]
                zone_id = self.pick(self.zone_ids, self.zone_cum_weights)
                if (company_id, zone_id) not in pairs:
                    pairs.add((company_id, zone_id))
                    break
            status = _weighted(rng, LICENCE_STATUSES)
            issued_on = ISSUED_FROM + datetime.timedelta(days=int(span * rng.random()))
            created = self.aware(min(issued_on, self.data_end))
            number = expires_on = issued = None
            if status not in ("applied", "approved"):
                issued = issued_on
                # One in eight was issued for five years and has lapsed: expired, computed.
                years = 5 if rng.random() < 0.125 else 10
                expires_on = years_after(issued_on, years)
                number = f"TZE-{issued_on:%Y}-{row_id:06d}"
                events.append((row_id, "issued", issued_on, created, None, "", None, None))
                # In force for years after the data ends (and so today): such may hold plots.
                if status == "licensed" and expires_on > years_after(
                    self.data_end, 2029 - self.data_end.year
                ):
                    self.licensed_by_zone.setdefault(zone_id, []).append(row_id)
                if status in ("suspended", "revoked", "surrendered"):
                    on = issued_on + datetime.timedelta(days=rng.randrange(200, 900))
                    on = max(issued_on, min(on, self.data_end))
                    events.append(
                        (row_id, status, on, self.aware(on), None, "Synthetic.", None, None)
                    )
                self.issued_enterprises.append((row_id, issued_on, expires_on, status))
            planned = Decimal(int(rng.lognormvariate(math.log(2e6), 1.0))).quantize(CENT)
            rows.append((
                row_id, created, created, company_id, zone_id, None, rng.choice(ACTIVITIES),
                planned, int(rng.lognormvariate(math.log(60), 0.9)), status, number, issued,
                expires_on, None, None, None, None, synthetic_mark,
            ))  # fmt: skip
        self._write_batched(Enterprise, columns, rows, "enterprises")
        self._write_batched(LicenceEvent, event_columns, events, "licence events")
        self.written["enterprises"] = count
        self.written["licence events"] = len(events)

    def make_plots(self, count, synthetic_mark):
        rng = self.rng
        if not count or not self.zone_ids:
            return
        columns = [
            "created", "updated", "zone_id", "number", "kind", "area_m2", "status",
            "enterprise_id", "lease_starts_on", "lease_ends_on", "occupied_on", "note",
        ]  # fmt: skip
        next_number: dict[int, int] = {}
        rows = []
        for _ in range(count):
            zone_id = self.pick(self.zone_ids, self.zone_cum_weights)
            next_number[zone_id] = number = next_number.get(zone_id, 0) + 1
            kind = _weighted(rng, PLOT_KINDS)
            area = Decimal(int(PLOT_AREA[kind] * rng.uniform(0.5, 2.0)))
            holders = self.licensed_by_zone.get(zone_id)
            status, holder, lease_start, lease_end, occupied = "vacant", None, None, None, None
            if holders and rng.random() < 0.65:
                status = _weighted(rng, [("reserved", 10), ("allocated", 30), ("occupied", 60)])
                holder = rng.choice(holders)
                if status != "reserved":
                    lease_start = self.data_end - datetime.timedelta(days=rng.randrange(30, 1500))
                    lease_end = years_after(lease_start, 30)
                if status == "occupied":
                    occupied = lease_start + datetime.timedelta(days=rng.randrange(30, 200))
            stamp = self.aware(self.data_end)
            rows.append((
                stamp, stamp, zone_id, f"P-{number:05d}", kind, area, status, holder,
                lease_start, lease_end, occupied, synthetic_mark,
            ))  # fmt: skip
        self._write_batched(Plot, columns, rows, "plots")
        self.written["plots"] = count

    def make_returns(self, count):
        rng = self.rng
        if not count or not self.issued_enterprises:
            return
        candidates = []
        for enterprise_id, issued_on, expires_on, status in self.issued_enterprises:
            first = issued_on.year if issued_on.month >= 7 else issued_on.year - 1
            # No returns after a licence lapsed, and an ended one filed only its first years.
            last = expires_on.year - 1 if status in ("licensed", "suspended") else first + 2
            candidates.extend(
                (enterprise_id, start)
                for start in range(first, min(last, LAST_FISCAL_YEAR_START) + 1)
            )
        rng.shuffle(candidates)
        chosen = sorted(candidates[:count])
        due_days = datetime.timedelta(days=settings.ANNUAL_RETURN_DUE_DAYS)
        columns = [
            "created", "updated", "enterprise_id", "fiscal_year", "due_on", "status",
            "employees_total", "employees_women", "employees_foreign", "exports_usd", "currency",
            "domestic_sales", "domestic_sales_usd", "investment", "investment_usd", "submitted_on",
            "filed_by_id", "filed_by_staff", "reviewed_by_id", "reviewed_at", "review_note",
        ]  # fmt: skip
        rows = []
        for enterprise_id, start in chosen:
            year_end = datetime.date(start + 1, 6, 30)
            due_on = year_end + due_days
            if start == LAST_FISCAL_YEAR_START:
                status = _weighted(rng, [("due", 35), ("submitted", 40), ("accepted", 25)])
            else:
                status = _weighted(
                    rng, [("accepted", 85), ("submitted", 4), ("returned", 3), ("due", 8)]
                )
            if status != "due":
                total = max(1, int(rng.lognormvariate(math.log(60), 1.0)))
                filed = due_on + datetime.timedelta(days=rng.randrange(-100, 45))
                filed = min(max(filed, year_end + datetime.timedelta(days=1)), self.data_end)
                # Before the generated rates begin, returns are filed in dollars.
                currency = "PKR" if year_end >= self.data_start and rng.random() < 0.7 else "USD"
                sales = Decimal(int(rng.lognormvariate(math.log(3e5), 1.2)))
                invested = Decimal(int(rng.lognormvariate(math.log(2e5), 1.2)))
                if currency == "PKR":
                    sales, invested = sales * 280, invested * 280
                figures = (
                    total, total * rng.randrange(10, 45) // 100, total * rng.randrange(0, 8) // 100,
                    Decimal(int(total * rng.lognormvariate(math.log(15_000), 0.8))), currency,
                    sales, self.usd(sales, currency, year_end), invested,
                    self.usd(invested, currency, year_end), filed,
                )  # fmt: skip
            else:
                figures = (None, None, None, None, "USD", None, None, None, None, None)
            stamp = self.aware(min(due_on, self.data_end))
            rows.append((
                stamp, stamp, enterprise_id, fiscal_year_label(start), due_on, status, *figures,
                None, rng.random() < 0.2 and status != "due", None, None,
                "Synthetic: figures to correct." if status == "returned" else "",
            ))  # fmt: skip
        self._write_batched(AnnualReturn, columns, rows, "annual returns")
        self.written["annual returns"] = len(rows)

    def _write_batched(self, model, columns, rows, label):
        with self.bar(len(rows), label) as bar:
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                self.write(model, columns, batch)
                bar.update(len(batch))
