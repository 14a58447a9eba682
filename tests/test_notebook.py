"""notebooks/explore.ipynb runs top to bottom (nbclient, the venv's python3 kernel) and shows real results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


def venv_kernel(folder: Path) -> Path:
    """A `python3` kernelspec that runs this interpreter (the venv's), ahead of any user-installed one."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3 (kg)",
                                                  "language": "python"}), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_notebook_runs_top_to_bottom(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_STORE", raising=False)  # build corpus/ into a temporary store
    monkeypatch.setenv("JUPYTER_PATH", str(venv_kernel(tmp_path / "jupyter")))
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == sys.executable
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell

    def outputs(fragment: str) -> list[dict]:
        cell = next(c for c in notebook.cells if c.cell_type == "code" and fragment in c.source)
        return cell.outputs

    built = "".join(o.get("text", "") for o in outputs("build([\"corpus\"]"))
    assert "built " in built and "5 files" in built
    most_cited = outputs('"most-cited"')[0]["data"]["text/html"]
    assert "<td>33/CT-TTg</td>" in most_cited and "<td>217-QĐ/TW</td>" in most_cited
    chart = [o for o in outputs("citations-per-year") if "image/png" in o.get("data", {})]
    assert chart and len(chart[0]["data"]["image/png"]) > 1000
    outdated = outputs('"citing-outdated")')[0]["data"]["text/html"]
    assert "<td>60/2013/NĐ-CP</td>" in outdated and "<td>149/2018/NĐ-CP</td>" in outdated
    viz = outputs("visualise(store")
    page = next(o["data"]["text/html"] for o in viz if "text/html" in o.get("data", {}))
    assert page.startswith("<div><iframe srcdoc=") and "33/CT-TTg" in page
    assert not any(o.get("name") == "stderr" and "Warning" in o.get("text", "") for o in viz)
