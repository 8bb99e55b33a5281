"""A forum report as one self-contained HTML page: styles inline, charts embedded as PNG.

The page needs nothing from the network, opens in any browser and prints cleanly (each
poll, ballot and consultation kept on one page where it fits).
"""

from __future__ import annotations

import base64
from datetime import tzinfo
from html import escape

from core.report import Block, Chart, Part, Report, Section, Table

_STYLE = """
body { font-family: system-ui, sans-serif; color: #1b1b1b; margin: 2rem auto; max-width: 52rem;
       padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 3px solid #2e7d32; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { margin-bottom: 0.4rem; }
.made { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: left; }
th { background: #eef3ee; }
img { max-width: 100%; height: auto; }
.part { break-inside: avoid; page-break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
"""


def render_html(report: Report, zone: tzinfo) -> str:
    """The report as a page; ``zone`` is the time zone its date is shown in."""
    title = report.forum.title or f"Forum {report.forum.id}"
    made = report.made_at.astimezone(zone).strftime("%d %B %Y, %H:%M")
    body = "\n".join(_section(section) for section in report.sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}: YouSaid report</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{escape(title)}: YouSaid report</h1>\n"
        f'<p class="made">Made on {escape(made)} ({escape(report.forum.platform)} group '
        f"{escape(report.forum.group_id)}).</p>\n{body}\n</body>\n</html>\n"
    )


def _section(section: Section) -> str:
    parts = "\n".join(_part(part) for part in section.parts) or f"<p>{escape(section.empty)}</p>"
    return f"<section>\n<h2>{escape(section.title)}</h2>\n{parts}\n</section>"


def _part(part: Part) -> str:
    blocks = "\n".join(_block(block) for block in part.blocks)
    return f'<div class="part">\n<h3>{escape(part.heading)}</h3>\n{blocks}\n</div>'


def _block(block: Block) -> str:
    match block:
        case Table(columns, rows):
            head = "".join(f"<th>{escape(column)}</th>" for column in columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                for row in rows
            )
            return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        case Chart(description, png):
            data = base64.b64encode(png).decode("ascii")
            return f'<img alt="{escape(description)}" src="data:image/png;base64,{data}">'
        case _:
            return f"<p>{escape(block)}</p>"
