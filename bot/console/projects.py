"""Projects: search with filters (keyword, province, status, fiscal year; keyset pages), a project's page with its
history and the update form, import from CSV or XLSX with the per-row error report (nothing is written while
any row is wrong), and the export.

The same storage as `/project`, `/update` and `coordbot projects import|export`: an update is versioned (a form
made on data changed since is refused), kept as history, audited, and told to the project's watchers.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response

from bot.console import texts as T
from bot.console.web import Admin, Posted, Viewer, back_to, now, render, writing
from handlers.projects.notices import baht, notify_import, notify_watchers, place_name, status_text
from handlers.projects.parsing import MAX_NOTE
from storage import reference
from storage.people import audit
from storage.project_import import ImportFileError, export_rows, import_rows, read_table
from storage.projects import (
    MAX_PAGE,
    Filters,
    ProjectStatus,
    apply_update,
    by_code,
    cursor,
    history,
    listing,
    normalize_code,
)
from storage.tables import FORMATS, write_table

router = APIRouter(prefix="/console/projects")

MAX_UPLOAD = 20 * 1024 * 1024
"""An import file larger than this is refused unread (100,000 projects are about 15 MB as CSV)."""
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _helpers(viewer: Viewer) -> dict[str, Any]:
    return {"statuses": list(ProjectStatus), "status_name": lambda s: status_text(viewer.lang, s),
            "place": lambda p: place_name(viewer.lang, province_iso=p.province_iso, cluster_no=p.cluster_no),
            "baht": baht, "provinces": reference.provinces()}


@router.get("")
def search(request: Request, viewer: Admin, q: str = "", province: str = "", status: str = "", year: str = "",
           before: str = "") -> Response:
    iso = province if any(p.iso == province for p in reference.provinces()) else None
    filters = Filters(status=ProjectStatus(status) if status in ProjectStatus.__members__ else None,
                      fiscal_year=int(year) if year.isdecimal() and len(year) == 4 else None)
    keyword = q.strip()[:100] or None
    code = normalize_code(keyword) if keyword else None
    with writing(request) as session:
        exact = by_code(session=session, code=code) if code else None
        rows = listing(session=session, province_isos=[iso] if iso else None, keyword=keyword, filters=filters,
                       before=before or None, limit=MAX_PAGE)
    if exact is not None:
        return back_to(f"/console/projects/{exact.code}")
    more = len(rows) > MAX_PAGE
    rows = rows[:MAX_PAGE]
    return render(request, "projects.html", viewer, rows=rows,
                  next_cursor=cursor(rows[-1], keyword) if more and rows else "",
                  filters={"q": q, "province": province, "status": status, "year": year}, **_helpers(viewer))


@router.get("/import")
def import_page(request: Request, viewer: Admin) -> Response:
    return render(request, "projects_import.html", viewer)


@router.post("/import")
async def import_file(request: Request, viewer: Posted, file: UploadFile) -> Response:
    """Check every row first; any wrong row means nothing is written and the report lists each one."""
    suffix = Path(file.filename or "").suffix.lower()
    body = await file.read(MAX_UPLOAD + 1)
    if len(body) > MAX_UPLOAD:
        return render(request, "projects_import.html", viewer, status_code=413, error=viewer.t(T.FILE_TOO_BIG))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(body)
        try:
            columns, rows = read_table(path)
        except ImportFileError as exc:
            return render(request, "projects_import.html", viewer, status_code=400,
                          error=viewer.t(T.IMPORT_UNREADABLE, reason=str(exc)))
    at = now(request)
    with writing(request) as session:
        result = import_rows(session=session, columns=columns, rows=rows, person_id=viewer.id, now=at)
        if result.ok:
            told = notify_import(session=session, project_ids=result.changed_ids, now=at)
            audit(session=session, person_id=viewer.id, action="projects_imported", rows=result.rows,
                  created=result.created, updated=result.updated, told=told, file=(file.filename or "")[:80],
                  via="console")
    return render(request, "projects_import.html", viewer, status_code=200 if result.ok else 400, result=result)


@router.get("/export.{fmt}")
def export(fmt: str, request: Request, viewer: Admin) -> Response:
    """Every project in the import's format (so an edited export re-imports), audited as an export."""
    if fmt not in FORMATS:
        return render(request, "message.html", viewer, status_code=404, message=viewer.t(T.NOT_FOUND))
    out = io.BytesIO()
    with writing(request) as session:
        count = write_table(out, export_rows(session=session), fmt=fmt, sheet="projects")
        audit(session=session, person_id=viewer.id, action="projects_exported", format=fmt, rows=count,
              via="console")
    return Response(out.getvalue(), media_type=MEDIA[fmt], headers={
        "Cache-Control": "no-store", "Content-Disposition": f'attachment; filename="projects.{fmt}"'})


@router.get("/{code}")
def project_page(code: str, request: Request, viewer: Admin) -> Response:
    return _page(request, viewer, code)


def _page(request: Request, viewer: Viewer, code: str, error: str = "", status_code: int = 200) -> Response:
    with writing(request) as session:
        project = by_code(session=session, code=normalize_code(code) or code)
        changes = history(session=session, project_id=project.id or 0) if project else []
    if project is None:
        return render(request, "message.html", viewer, status_code=404,
                      message=viewer.t(T.PROJECT_GONE, code=code[:20]))
    return render(request, "project.html", viewer, status_code=status_code, project=project, changes=changes,
                  error=error, **_helpers(viewer))


@router.post("/{code}")
def update(code: str, request: Request, viewer: Posted, version: int = Form(0), status: str = Form(""),
           progress: str = Form(""), note: str = Form("")) -> Response:
    at = now(request)
    changes: dict[str, object] = {}
    with writing(request) as session:
        project = by_code(session=session, code=code)
        if project is None:
            return render(request, "message.html", viewer, status_code=404,
                          message=viewer.t(T.PROJECT_GONE, code=code[:20]))
        if version != project.version:
            error = viewer.t(T.STALE)
        elif status not in ProjectStatus.__members__:
            error = viewer.t(T.REQUIRED, field=viewer.t(T.STATUS))
        elif not progress.strip().isdecimal() or not 0 <= int(progress) <= 100:
            error = viewer.t(T.BAD_PROGRESS)
        elif len(note) > MAX_NOTE:
            error = viewer.t(T.NOTE_TOO_LONG, n=MAX_NOTE)
        else:
            error = ""
            wanted = {"status": status, "progress": int(progress), "last_note": note.strip()}
            changes = {k: v for k, v in wanted.items() if str(getattr(project, k)) != str(v)}
            if changes:
                row = apply_update(session=session, project=project, changes=changes, person_id=viewer.id, now=at,
                                   source="console")
                audit(session=session, person_id=viewer.id, action="project_updated", code=project.code,
                      old=row.old, new=row.new, via="console")
                notify_watchers(session=session, project=project, row=row, by=viewer.person, now=at, tz=viewer.tz)
    if error:
        return _page(request, viewer, code, error, status_code=409 if error == viewer.t(T.STALE) else 400)
    return back_to(f"/console/projects/{code}", "saved" if changes else "unchanged")
