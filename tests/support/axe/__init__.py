"""axe-core in a Playwright page: the serious and critical accessibility violations it finds.

axe.min.js beside this file is axe-core 4.14.1 from npm (`npm pack axe-core@4.14.1`), MPL-2.0,
kept byte for byte with its licence header; LICENSE and LICENSE-3RD-PARTY.txt came with it.
It is vendored so the check runs offline and the same on every machine: nothing is fetched at
run time. To update: `npm pack axe-core@4`, copy package/axe.min.js and the two licence files
here, and put the new version in AXE_VERSION.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).with_name("axe.min.js")
BLOCKING = ("serious", "critical")

# Closed <details> hide their content from axe; open them so what a click reveals is checked too.
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"

# Page.evaluate runs over the DevTools protocol, so the page's Content Security Policy (which
# allows no inline script) does not stop it, and the page is not changed to let it in.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      impact: n.impact, target: n.target.map(String).join(" "), html: n.html,
      summary: n.failureSummary,
    })),
  }));
}"""


def axe_violations(page: Any, *, open_details: bool = True) -> list[dict]:
    """Every violation axe-core finds on the page as it is now, with each node's impact."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    if open_details:
        page.evaluate(OPEN_DETAILS)
    return page.evaluate(RUN_AXE)


def serious_violations(page: Any, *, open_details: bool = True) -> list[dict]:
    """The violations of impact serious or critical, with only the nodes that are."""
    found = []
    for violation in axe_violations(page, open_details=open_details):
        nodes = [node for node in violation["nodes"] if node["impact"] in BLOCKING]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


# axe-core accepts an aria-describedby naming ids that are not on the page (the description is
# then silently empty): a field's help and errors went unread that way. This finds them.
DANGLING = """() => {
  const found = [];
  for (const el of document.querySelectorAll("[aria-describedby], [aria-labelledby], [for]")) {
    for (const attr of ["aria-describedby", "aria-labelledby", "for"]) {
      for (const id of (el.getAttribute(attr) || "").split(/\\s+/).filter(Boolean)) {
        if (document.getElementById(id)) continue;
        found.push(`${attr}="${id}" on ${el.outerHTML.slice(0, 120)}`);
      }
    }
  }
  return found;
}"""


def dangling_references(page: Any) -> list[str]:
    """Elements whose aria-describedby, aria-labelledby or for names an id the page lacks."""
    return page.evaluate(DANGLING)


def describe(violations: list[dict]) -> str:
    """One line per rule and failing node: rule id, impact, CSS target, and why."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}  {node['html'][:120]}\n      {summary[:300]}")
    return "\n".join(lines)
