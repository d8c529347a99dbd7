"""Run the checks on a fixture project and pick out one check's findings."""

from newsletter.inspect import check_project


def findings(root, check_id, audience=None, expensive=False):
    """(severity, 'file:line:col', message, suggestion) of one check, failing signals only."""
    report, _ = check_project(root, expensive=expensive)
    out = []
    for variant in report.variants:
        if audience and variant.audience != audience:
            continue
        for result in variant.results:
            if result.check.id == check_id and not result.finding.passed and result.severity != "info":
                f = result.finding
                out.append((result.severity, str(f.location) if f.location else "", f.message, f.suggestion))
    return out


def verdicts(root, audience):
    report, _ = check_project(root, expensive=False)
    return next(v for v in report.variants if v.audience == audience).verdicts()
