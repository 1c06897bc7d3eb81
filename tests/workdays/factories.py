"""Calendar inputs for tests. The 2027 lists are invented test data, not a real notice."""

import datetime


def span(first: str, last: str, name: str) -> list[tuple[datetime.date, str]]:
    a, b = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    return [(a + datetime.timedelta(days=i), name) for i in range((b - a).days + 1)]


HOLIDAYS_2027 = (
    span("2027-01-01", "2027-01-03", "元旦")
    + span("2027-02-05", "2027-02-12", "春节")
    + span("2027-04-03", "2027-04-05", "清明节")
    + span("2027-05-01", "2027-05-05", "劳动节")
    + span("2027-10-01", "2027-10-07", "国庆节")
)
ADJUSTED_2027 = [
    (datetime.date(2027, 2, 20), "春节"),  # Saturday
    (datetime.date(2027, 10, 9), "国庆节"),  # Saturday
]
IN_2027 = datetime.date(2027, 3, 1)
LATE_2026 = datetime.date(2026, 11, 20)
