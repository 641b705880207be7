"""TimelineJS export: the record as a TimelineJS3 JSON file, ``data/exports/timeline.json``.

>>> from nato_russia import export
>>> export.write()                      # python -m nato_russia export

The file follows Knight Lab's TimelineJS3 JSON format (https://timeline.knightlab.com/docs/json-format.html):

* ``title``: a slide with ``text`` only, saying what the timeline shows and where the last era is cut;
* ``events``: one slide per event of events.csv, in date order. ``start_date`` is a date object at the event's own
  precision, never more precise than the data: ``{"year": 1999}`` for an event dated 1999, ``{"year": 2014,
  "month": 3}`` for 2014-03, year, month and day for a day. ``end_date`` likewise, for the events that have one.
  ``text.headline`` is the title, ``text.text`` the summary followed by the documents that state the event (with
  the date as each gives it); ``group`` is the label of the event's phase and ``unique_id`` its ``event_id``;
* ``eras``: the collection's phases with their start and end days and ``text.headline`` = the label. The phase
  that continues has no end in phases.csv; its era ends on the last day of the latest event in the record (its
  ``last_day``), and the title slide says so.

Date fields are integers, as the format documents them. The file is written deterministically (keys sorted,
UTF-8 without escapes, indented, one trailing newline), so re-exporting unchanged data gives the same bytes.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pandas as pd

from .files import write_if_changed
from .loading import Record, load, resolve_data_dir

EXPORT_PATH = Path("exports") / "timeline.json"
"""Where the export is written, relative to the data folder."""

_DATE_PARTS = ("year", "month", "day")


def _escape(text: str) -> str:
    """Text for an HTML field of a slide (TimelineJS renders ``text`` as HTML): ``<``, ``>`` and ``&`` escaped."""
    return html.escape(str(text), quote=False)


def timeline_date(text: str) -> dict[str, int]:
    """A TimelineJS date object for a partial ISO date, at its own precision.

    >>> timeline_date("1999"), timeline_date("2014-03"), timeline_date("1997-05-27")
    ({'year': 1999}, {'year': 2014, 'month': 3}, {'year': 1997, 'month': 5, 'day': 27})
    """
    parts = str(text).split("-")
    if not 1 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
        raise ValueError(f"expected a date YYYY, YYYY-MM or YYYY-MM-DD; found {text!r}")
    return {name: int(part) for name, part in zip(_DATE_PARTS, parts)}


def day_date(day: pd.Timestamp) -> dict[str, int]:
    """A TimelineJS date object for a whole day."""
    return {"year": int(day.year), "month": int(day.month), "day": int(day.day)}


def _long_day(day: pd.Timestamp) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _sources_paragraph(event_id: str, mentions: pd.DataFrame, sources: pd.DataFrame) -> str:
    """``Stated by: <title> (publisher, published), date given: ...; ...`` for one event, in sources.csv order."""
    order = {source_id: position for position, source_id in enumerate(sources["source_id"])}
    by_id = sources.set_index("source_id")
    stated = mentions[mentions["event_id"] == event_id]
    stated = stated.assign(order=stated["source_id"].map(order)).sort_values(["order", "source_id"], kind="stable")
    items = []
    for mention in stated.itertuples(index=False):
        source = by_id.loc[mention.source_id]
        items.append(
            f"<em>{_escape(source['title_en'])}</em> ({_escape(source['publisher'])}, "
            f"{_escape(source['published'])}), date given: {_escape(mention.date_as_given)}"
        )
    return "Stated by: " + "; ".join(items) + "."


def _event_slide(event: pd.Series, phase_labels: dict[str, str], mentions: pd.DataFrame,
                 sources: pd.DataFrame) -> dict:
    slide = {
        "start_date": timeline_date(event["date"]),
        "text": {
            "headline": _escape(event["title"]),
            "text": f"<p>{_escape(event['summary'])}</p>"
                    f"<p>{_sources_paragraph(event['event_id'], mentions, sources)}</p>",
        },
        "group": phase_labels[event["phase_id"]],
        "unique_id": event["event_id"],
    }
    if pd.notna(event["end_date"]):
        slide["end_date"] = timeline_date(event["end_date"])
    return slide


def _eras(phases: pd.DataFrame, last_day: pd.Timestamp) -> list[dict]:
    ordered = phases.sort_values("start", kind="stable")
    return [
        {
            "start_date": day_date(phase["start"]),
            "end_date": day_date(phase["end"] if pd.notna(phase["end"]) else last_day),
            "text": {"headline": _escape(phase["label"])},
        }
        for _, phase in ordered.iterrows()
    ]


def timeline(record: Record) -> dict:
    """The TimelineJS3 JSON object (a dict) for the record."""
    events = record.events.sort_values(["start", "event_id"], kind="stable")
    phases = record.phases
    phase_labels = dict(zip(phases["phase_id"], phases["label"]))
    last_day = events["last_day"].max()
    ongoing = phases[phases["end"].isna()]
    cut = ""
    if len(ongoing):
        latest = events.loc[events["last_day"] == last_day, "event_id"].sort_values().tolist()
        cut = (
            f" The last phase, <em>{_escape(ongoing['label'].iloc[0])}</em>, continues; its era on this "
            f"timeline ends on {_long_day(last_day)}, the last day of the latest event in the record "
            f"({', '.join(latest)}), not on a date the sources give."
        )
    title_text = (
        f"<p>{len(events)} events from {events['start'].min().year} to {last_day.year}, each at the precision its "
        "sources give (a year, a month or a day), grouped by the collection's phases and shown with the documents "
        f"that state them.{cut}</p>"
        "<p>Data: the nato-russia-notebooks event record (CC BY 4.0); exported by "
        "<code>python -m nato_russia export</code>.</p>"
    )
    return {
        "title": {"text": {"headline": "NATO–Russia relations: a sourced event record", "text": title_text}},
        "events": [_event_slide(event, phase_labels, record.mentions, record.sources)
                   for _, event in events.iterrows()],
        "eras": _eras(phases, last_day),
    }


def render(record: Record) -> str:
    """The export as text: keys sorted, UTF-8 characters kept, two-space indent, one trailing newline."""
    return json.dumps(timeline(record), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def export_path(data_dir: str | os.PathLike | None = None) -> Path:
    return resolve_data_dir(data_dir) / EXPORT_PATH


def write(data_dir: str | os.PathLike | None = None) -> Path:
    """Load (and validate) the record and write its TimelineJS export; returns the file written."""
    path = export_path(data_dir)
    text = render(load(data_dir))
    write_if_changed(path, text)
    return path


def is_current(data_dir: str | os.PathLike | None = None) -> bool:
    """Whether the export on disk equals a fresh one."""
    path = export_path(data_dir)
    return path.is_file() and path.read_text(encoding="utf-8") == render(load(data_dir))
